import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, command, keySentFor, read, seenPosition, type Schema, serverNow } from '../api/client';
import { newIdempotencyKey } from '../api/idempotency';
import { enqueue, onDelivered, useOutbox } from '../api/outbox';
import { ApiError } from '../api/problem';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link } from '../router';
import { VolunteerPicker } from './volunteer-picker';
import { useAccount } from '../session/session';
import { Badge, RecordStatus, type Tone, useCategoryName } from '../ui/badges';
import { Field } from '../ui/form';
import { dateTime, day, hours, shanghaiInstant, shanghaiToday, time } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { ActivityStatusBadge } from './activities-page';
import { AmendDialog, type AmendTarget } from './amend-dialog';
import { CheckInQr } from './check-in-qr';

const ATTENDANCE_TONES: Record<Schema<'RosterEntryView'>['attendance'], Tone> = {
  enrolled: 'neutral', 'checked-in': 'info', 'checked-out': 'success', 'no-show': 'warning', 'missed-check-out': 'danger',
};

/** One activity: its roster with one-tap check-in and check-out, the check-in QR code, completion and its records. */
export function ActivityPage({ activityId }: { activityId: string }) {
  const { t, lang } = useI18n();
  const categoryName = useCategoryName();
  const activity = useApi(() => read(api.GET('/api/v1/activities/{id}', {
    params: { path: { id: activityId }, query: { minPosition: seenPosition() } },
  })), [activityId]);
  const [showQr, setShowQr] = useState(false);
  const [completion, setCompletion] = useState<Schema<'CompletionAnswer'> | null>(null);
  const [amending, setAmending] = useState<AmendTarget | null>(null);
  const reload = activity.reload;
  const follow = useCallback(() => reload(), [reload]);

  if (activity.error && !activity.data) return <ErrorNotice error={activity.error} onRetry={activity.reload} />;
  if (!activity.data) return <Loading />;
  const a = activity.data;
  const open = a.status === 'planned';
  const nameOf = (volunteerId: string) => a.roster.find((r) => r.volunteerId === volunteerId)?.displayName ?? volunteerId;

  return (
    <>
      <p className="breadcrumb"><Link to="/staff/activities">{t('nav.activities')}</Link></p>
      <PageTitle actions={<ActivityStatusBadge activity={a} />}>{a.title}</PageTitle>
      <dl className="facts card">
        <div><dt>{t('activity.when')}</dt><dd>{dateTime(a.startsAt, lang)}–{time(a.endsAt, lang)}</dd></div>
        <div><dt>{t('activity.location')}</dt><dd>{a.location}</dd></div>
        <div><dt>{t('activity.category')}</dt><dd>{categoryName(a.category)}</dd></div>
        {a.personInCharge && <div><dt>{t('activity.personInCharge')}</dt><dd>{a.personInCharge}</dd></div>}
        <div><dt>{t('activity.dueBy')}</dt><dd className={a.overdue ? 'overdue-text' : undefined}>{day(a.recordsDueBy, lang)}</dd></div>
        {a.status === 'completed' && <div><dt>{t('activity.credited')}</dt><dd className="figure">{t('unit.hours', { h: hours(a.creditedMinutes) })}</dd></div>}
      </dl>
      {a.overdue && <Notice kind="warning" title={t('activity.overdueNotice', { date: day(a.recordsDueBy, lang) })} />}
      {a.status === 'cancelled' && <Notice kind="info" title={t('activity.cancelledNotice')}>{a.cancelReason && <p>{a.cancelReason}</p>}</Notice>}

      {completion && <CompletionSummary completion={completion} nameOf={nameOf} />}

      {open && (
        <section className="card" aria-labelledby="qr-heading">
          <div className="section-head">
            <h2 id="qr-heading">{t('qr.heading')}</h2>
            <button type="button" className="button button-secondary" aria-expanded={showQr} onClick={() => setShowQr((s) => !s)}>
              {showQr ? t('qr.hide') : t('qr.show')}
            </button>
          </div>
          {showQr && <CheckInQr activityId={a.activityId} onScanWindow={follow} />}
        </section>
      )}

      <Roster activity={a} onChanged={activity.reload} />

      {open && <CompleteForm activity={a} onCompleted={(c) => {
        setCompletion(c);
        setShowQr(false);
        activity.reload();
      }} />}

      {a.records.length > 0 && (
        <section className="card" aria-labelledby="records-heading">
          <h2 id="records-heading">{t('activity.records')}</h2>
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">{t('record.volunteer')}</th><th scope="col">{t('record.hours')}</th><th scope="col">{t('record.status')}</th><th scope="col"><span className="sr-only">{t('record.actions')}</span></th></tr></thead>
              <tbody>
                {a.records.map((r) => (
                  <tr key={r.recordId}>
                    <td>{r.displayName ?? r.volunteerId}</td>
                    <td className="num">{t('unit.hoursMinutes', { h: hours(r.minutes), m: r.minutes })}</td>
                    <td><RecordStatus status={r.status} /></td>
                    <td className="actions">
                      {(r.status === 'approved' || r.status === 'pending') && (
                        <button type="button" className="button button-small button-secondary"
                          onClick={() => setAmending({ recordId: r.recordId, minutes: r.minutes, who: r.displayName ?? r.volunteerId })}>{t('amend.action')}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {amending && <AmendDialog target={amending} onClose={() => setAmending(null)} onDone={() => {
        setAmending(null);
        activity.reload();
      }} />}
    </>
  );
}

function CompletionSummary({ completion, nameOf }: { completion: Schema<'CompletionAnswer'>; nameOf: (id: string) => string }) {
  const { t } = useI18n();
  const total = completion.credited.reduce((sum, c) => sum + c.minutes, 0);
  return (
    <Notice kind="success" title={t('complete.done', { n: completion.credited.length, h: hours(total) })}>
      <ul className="plain-list" data-testid="credited">
        {completion.credited.map((c) => <li key={c.volunteerId}>{nameOf(c.volunteerId)}：{t('unit.hoursMinutes', { h: hours(c.minutes), m: c.minutes })}</li>)}
        {completion.notCredited.map((c) => <li key={c.volunteerId} className="muted">{nameOf(c.volunteerId)}：{t(`complete.reason.${c.reason}` as MessageKey)}</li>)}
      </ul>
    </Notice>
  );
}

/** Failures after which a command may still get through later: the network, or the ledger unable to save for a moment. */
const keptForLater = (error: unknown) => error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.code === 'outcome-unknown');

/** The roster: one tap checks a volunteer in or out, at the time chosen above it (now, by default). */
function Roster({ activity, onChanged }: { activity: Schema<'ActivityAnswer'>; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const account = useAccount();
  const open = activity.status === 'planned';
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [queued, setQueued] = useState<string | null>(null);
  const outbox = useOutbox();
  const base = `/api/v1/activities/${encodeURIComponent(activity.activityId)}/`;
  // Taps kept on this device for this activity, by volunteer: their buttons wait.
  const waiting = new Set(outbox.filter((e) => !e.refused && e.path.startsWith(base)).map((e) => e.body.volunteerId as string));

  // The roster follows a kept tap once it is delivered (and stops saying it is kept).
  useEffect(() => onDelivered((entry) => {
    if (!entry.path.startsWith(base)) return;
    setQueued(null);
    onChanged();
  }), [base, onChanged]);

  async function attend(kind: 'check-ins' | 'check-outs', volunteerId: string, who: string) {
    setBusy(`${kind}:${volunteerId}`);
    setError(null);
    setQueued(null);
    // The time of the tap goes with it (the server's clock), so it counts from now even if it is delivered later.
    const body = { volunteerId, at: at ? shanghaiInstant(shanghaiToday(new Date(activity.startsAt)), at) : serverNow().toISOString() };
    const key = newIdempotencyKey();
    try {
      await command((headers) => kind === 'check-ins'
        ? api.POST('/api/v1/activities/{id}/check-ins', { headers, params: { path: { id: activity.activityId } }, body })
        : api.POST('/api/v1/activities/{id}/check-outs', { headers, params: { path: { id: activity.activityId } }, body }), key);
      onChanged();
    } catch (caught) {
      if (keptForLater(caught)) {
        const label = t(kind === 'check-ins' ? 'roster.checkInWho' : 'roster.checkOutWho', { who });
        enqueue({ key: keySentFor(key), path: `${base}${kind}`, body, label, username: account.username });
        setQueued(label);
      } else {
        setError(caught as ApiError);
      }
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card" aria-labelledby="roster-heading">
      <div className="section-head">
        <h2 id="roster-heading">{t('roster.heading', { n: activity.roster.length })}</h2>
        <button type="button" className="button button-ghost" onClick={onChanged}>{t('action.refresh')}</button>
      </div>
      {open && (
        <div className="roster-tools">
          <AddVolunteer activity={activity} onAdded={onChanged} />
          <Field id="attendance-time" label={t('roster.time')} hint={t('roster.timeHint')}>
            <input id="attendance-time" type="time" value={at} onChange={(e) => setAt(e.target.value)} />
          </Field>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {queued && <Notice kind="warning" title={t('roster.queued', { label: queued })} />}
      {activity.roster.length === 0 ? <Empty title={t('roster.empty')} /> : (
        <ul className="roster" aria-label={t('roster.label')}>
          {activity.roster.map((r) => (
            <li key={r.volunteerId} className="roster-row">
              <div className="roster-who">
                <span className="roster-name">{r.displayName ?? r.volunteerId}</span>
                <span className="muted small">
                  {r.checkedInAt && t('roster.inAt', { time: time(r.checkedInAt, lang) })}
                  {r.checkedOutAt && ` · ${t('roster.outAt', { time: time(r.checkedOutAt, lang) })}`}
                  {r.walkIn && ` · ${t('roster.walkIn')}`}
                </span>
              </div>
              {waiting.has(r.volunteerId) ? <Badge tone="warning">{t('roster.pending')}</Badge>
                : <Badge tone={ATTENDANCE_TONES[r.attendance]}>{t(`attendance.${r.attendance}` as MessageKey)}</Badge>}
              <div className="roster-action">
                {open && !waiting.has(r.volunteerId) && !r.checkedInAt && (
                  <button type="button" className="button button-primary" disabled={busy !== null}
                    aria-label={t('roster.checkInWho', { who: r.displayName ?? r.volunteerId })}
                    onClick={() => void attend('check-ins', r.volunteerId, r.displayName ?? r.volunteerId)}>{t('roster.checkIn')}</button>
                )}
                {open && !waiting.has(r.volunteerId) && r.checkedInAt && !r.checkedOutAt && (
                  <button type="button" className="button button-secondary" disabled={busy !== null}
                    aria-label={t('roster.checkOutWho', { who: r.displayName ?? r.volunteerId })}
                    onClick={() => void attend('check-outs', r.volunteerId, r.displayName ?? r.volunteerId)}>{t('roster.checkOut')}</button>
                )}
                {r.record && <span className="figure-small">{t('unit.hours', { h: hours(r.record.minutes) })}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Finds a volunteer of the unit by name and enrolls them (or checks a walk-in in at once). */
function AddVolunteer({ activity, onAdded }: { activity: Schema<'ActivityAnswer'>; onAdded: () => void }) {
  const { t } = useI18n();
  const account = useAccount();
  return (
    <VolunteerPicker unit={account.orgUnitId ?? activity.orgUnitId} label={t('roster.add')}
      taken={new Set(activity.roster.map((r) => r.volunteerId))} takenLabel={t('roster.already')}
      action={t('roster.enroll')} actionWho={(who) => t('roster.enrollWho', { who })}
      onPick={async (volunteerId) => {
        await command((headers) => api.POST('/api/v1/activities/{id}/enrollments', { headers, params: { path: { id: activity.activityId } }, body: { volunteerId } }));
        onAdded();
      }} />
  );
}

function CompleteForm({ activity, onCompleted }: { activity: Schema<'ActivityAnswer'>; onCompleted: (c: Schema<'CompletionAnswer'>) => void }) {
  const { t } = useI18n();
  const [beneficiaries, setBeneficiaries] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const stillIn = activity.roster.filter((r) => r.checkedInAt && !r.checkedOutAt).length;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCompleted(await command((headers) => api.POST('/api/v1/activities/{id}/completion', {
        headers, params: { path: { id: activity.activityId } }, body: { beneficiaries: beneficiaries ? Number(beneficiaries) : undefined },
      })));
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="complete-heading">
      <h2 id="complete-heading">{t('complete.heading')}</h2>
      <p className="muted">{t('complete.explain')}</p>
      {stillIn > 0 && <Notice kind="warning" title={t('complete.stillIn', { n: stillIn })} />}
      <form className="form form-inline" onSubmit={submit}>
        <Field id="beneficiaries" label={t('complete.beneficiaries')}>
          <input id="beneficiaries" type="number" min={0} inputMode="numeric" value={beneficiaries} onChange={(e) => setBeneficiaries(e.target.value)} />
        </Field>
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('state.saving') : t('complete.submit')}</button>
      </form>
      {error && <ErrorNotice error={error} />}
    </section>
  );
}
