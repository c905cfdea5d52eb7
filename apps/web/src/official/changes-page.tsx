import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, read, seenPosition, type Schema } from '../api/client';
import type { ApiError } from '../api/problem';
import { type Language, useI18n } from '../i18n/i18n';
import { type MessageKey, zh } from '../i18n/dictionary';
import { useAccount } from '../session/session';
import { useCategoryName } from '../ui/badges';
import { Field } from '../ui/form';
import { dateTime, day, hours } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { useApi } from '../ui/use-api';
import { Empty, ErrorNotice, Loading } from '../ui/states';

type Entry = Schema<'AuditEntryView'>;
type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const PAGE = 30;

/** What happened, in words: "修改服务时长" (the dictionary's `event.<Type>`); a type it has no words for, as it is. */
function what(type: string, t: Translate): string {
  const key = `event.${type.replace(/\.v\d+$/, '')}`;
  return Object.hasOwn(zh, key) ? t(key as MessageKey) : type;
}

/** The details that matter to a reader: whose record, which activity, how many hours, and why. */
function details(entry: Entry, names: Record<string, string>, t: Translate, lang: Language, category: (code: string) => string): string[] {
  const d = (entry.data ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : null);
  const number = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : null);
  const named = (key: 'volunteerId' | 'activityId') => {
    const id = text(key);
    return id === null ? null : (names[id] ?? id);
  };
  const parts: (string | null)[] = [];
  const name = entry.type.replace(/\.v\d+$/, '');
  switch (name) {
    case 'OrgUnitRegistered':
    case 'TeamFormed':
      parts.push(text('name'));
      break;
    case 'OrgUnitRenamed':
      parts.push(t('changes.renamed', { from: text('previousName') ?? '', to: text('name') ?? '' }));
      break;
    case 'VolunteerRegistered':
    case 'VolunteerProfileUpdated':
      parts.push(text('displayName') ?? named('volunteerId'));
      break;
    case 'ActivityPlanned':
      parts.push(text('title'), text('startsAt') && dateTime(text('startsAt')!, lang));
      break;
    case 'ActivityRescheduled':
      parts.push(named('activityId'), text('startsAt') && t('changes.movedTo', { when: dateTime(text('startsAt')!, lang) }));
      break;
    case 'ActivityCancelled':
    case 'ActivityCompleted':
      parts.push(named('activityId'));
      break;
    case 'VolunteerCheckedIn':
    case 'VolunteerCheckedOut':
      // The time checked in or out is the entry's "happened" time.
      parts.push(named('volunteerId'), named('activityId'));
      break;
    case 'ServiceRecorded':
      parts.push(
        named('volunteerId'), text('category') && category(text('category')!), text('serviceDate') && day(text('serviceDate')!, lang),
        number('minutes') !== null ? t('changes.hours', { h: hours(number('minutes')!) }) : null,
        text('status') === 'pending' ? t('changes.selfReport') : null,
      );
      break;
    case 'ServiceAmended':
      parts.push(named('volunteerId'), t('changes.amended', { from: hours(number('previousMinutes') ?? 0), to: hours(number('minutes') ?? 0) }));
      break;
    case 'ServiceApproved':
    case 'ServiceRevoked':
      parts.push(named('volunteerId'), number('minutes') !== null ? t('changes.hours', { h: hours(number('minutes')!) }) : null);
      break;
    case 'CertificateIssued':
    case 'CertificateNumbered':
      parts.push(named('volunteerId'), text('number'));
      break;
    default:
      parts.push(named('volunteerId'), named('activityId'));
  }
  if (text('reason')) parts.push(t('changes.reason', { reason: text('reason')! }));
  return parts.filter((p): p is string => typeof p === 'string' && p !== '');
}

/** Who did it: "桃花坞社区工作人员（taohuawu-staff）· 社区工作人员", or the system that loaded it. */
function who(entry: Entry, t: Translate): string {
  const actor = entry.actor;
  if (!actor) return t('changes.nobody');
  if (actor.role === 'system') return t('changes.system');
  const role = ['admin', 'official', 'staff', 'volunteer'].includes(actor.role) ? t(`role.${actor.role}` as MessageKey) : actor.role;
  const name = actor.displayName ? `${actor.displayName}${actor.username ? `（${actor.username}）` : ''}` : (actor.username ?? t('changes.formerAccount'));
  return `${name} · ${role}`;
}

/**
 * 变更记录: what happened in the ledger of the caller's unit (and the units
 * under it; the whole ledger for an administrator), newest first: who did it,
 * when, and what it changed, corrections with their reasons. Nothing here can
 * be edited: the log is the record.
 */
export function ChangesPage() {
  const { t, lang } = useI18n();
  const category = useCategoryName();
  const me = useAccount();
  const unit = me.orgUnitId ?? undefined;
  const [form, setForm] = useState({ from: '', to: '', actor: '' });
  // The accounts to choose from, loaded once the field is first used (an administrator's list holds every account).
  const [choosing, setChoosing] = useState(false);
  const accounts = useApi(() => (choosing ? read(api.GET('/api/v1/accounts', { params: { query: unit ? { orgUnitId: unit } : {} } })) : Promise.resolve(null)), [unit, choosing]);
  const [filter, setFilter] = useState(form);
  const [trail, setTrail] = useState<{ entries: Entry[]; names: Record<string, string>; next: number | null } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const ticket = useRef(0);

  async function load(before?: number) {
    const mine = ++ticket.current;
    setBusy(true);
    setError(null);
    try {
      const page = await read(api.GET('/api/v1/audit', {
        params: {
          query: {
            orgUnitId: unit, order: 'desc', limit: PAGE, before, minPosition: seenPosition(),
            from: filter.from || undefined, to: filter.to || undefined, actor: filter.actor.trim() || undefined,
          },
        },
      }));
      if (mine !== ticket.current) return;
      setTrail((old) => (before === undefined || !old
        ? { entries: page.entries, names: page.names, next: page.next }
        : { entries: [...old.entries, ...page.entries], names: { ...old.names, ...page.names }, next: page.next }));
    } catch (caught) {
      if (mine === ticket.current) setError(caught as ApiError);
    } finally {
      if (mine === ticket.current) setBusy(false);
    }
  }

  useEffect(() => {
    setTrail(null);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filter, unit]);

  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value }));
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ ...form });
  };

  return (
    <div className="narrow">
      <PageTitle>{t('nav.changes')}</PageTitle>
      <p className="muted">{t('changes.explain')}</p>
      <form className="card form" onSubmit={apply}>
        <div className="field-row">
          <Field id="from" label={t('changes.from')} error={error}>
            <input id="from" type="date" value={form.from} onChange={set('from')} />
          </Field>
          <Field id="to" label={t('changes.to')} error={error}>
            <input id="to" type="date" value={form.to} onChange={set('to')} />
          </Field>
        </div>
        <Field id="actor" label={t('changes.actor')} hint={t('changes.actorHint')} error={error}>
          <input id="actor" value={form.actor} onChange={set('actor')} autoComplete="off" autoCapitalize="none" list="actor-choices" onFocus={() => setChoosing(true)} />
        </Field>
        {/* The accounts of the unit (and the units under it) to choose from as one types; any username may still be typed. */}
        <datalist id="actor-choices">
          {accounts.data?.accounts.map((a) => <option key={a.username} value={a.username}>{a.displayName}</option>)}
        </datalist>
        <div className="form-actions">
          <button type="submit" className="button button-secondary" disabled={busy}>{t('changes.show')}</button>
        </div>
      </form>
      {error && <ErrorNotice error={error} onRetry={() => void load(trail?.entries.length ? trail.next ?? undefined : undefined)} />}
      {!trail ? (!error && <Loading />)
        : trail.entries.length === 0 ? <Empty title={t('changes.none')} />
          : (
            <>
              <ul className="cards" aria-label={t('nav.changes')}>
                {trail.entries.map((entry) => {
                  const happened = entry.occurredAt && Math.abs(Date.parse(entry.occurredAt) - Date.parse(entry.recordedAt)) > 60_000 ? entry.occurredAt : null;
                  return (
                    <li key={entry.position} className="card change-card">
                      <div className="card-main">
                        <p className="card-title">{what(entry.type, t)}</p>
                        <p>{details(entry, trail.names, t, lang, category).join(' · ')}</p>
                        <p className="muted">
                          {who(entry, t)} · {dateTime(entry.recordedAt, lang)}
                          {happened ? ` · ${t('changes.happened', { when: dateTime(happened, lang) })}` : ''}
                        </p>
                      </div>
                    </li>
                  );
                })}
              </ul>
              {trail.next !== null && (
                <button type="button" className="button button-secondary" disabled={busy} onClick={() => void load(trail.next ?? undefined)}>
                  {busy ? t('state.loading') : t('changes.more')}
                </button>
              )}
            </>
          )}
    </div>
  );
}
