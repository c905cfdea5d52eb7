import { useState } from 'react';
import { api, command, read, seenPosition, type Schema } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/dictionary';
import { Link } from '../router';
import { useAccount } from '../session/session';
import { Badge } from '../ui/badges';
import { Field, FormActions } from '../ui/form';
import { dateTime, day, hours, shanghaiToday } from '../ui/format';
import { PageTitle } from '../ui/layout';
import { Modal } from '../ui/modal';
import { Empty, ErrorNotice, Loading, Notice } from '../ui/states';
import { useApi } from '../ui/use-api';
import { useSubmit } from '../ui/use-submit';
import { VolunteerPicker } from '../staff/volunteer-picker';

type TeamKind = Schema<'TeamSummaryView'>['kind'];
/** The kinds the domain knows (libs/domain teams/team.ts: TEAM_KINDS), in the order a form offers them. */
const TEAM_KINDS: readonly TeamKind[] = ['service-team', 'red-engine', 'rider-team', 'party-alliance', 'service-station', 'other'];
const kindLabel = (kind: TeamKind): MessageKey => `team.${kind}`;

/**
 * The teams of the unit and the units under it (志愿服务队, 党建联盟, 先锋骑行队,
 * 红引擎): how many members each has; staff found one in their own unit, officials only look.
 */
export function TeamsPage() {
  const { t } = useI18n();
  const account = useAccount();
  const unit = account.orgUnitId!;
  const staff = account.role === 'staff';
  const [forming, setForming] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const list = useApi(() => read(api.GET('/api/v1/org-units/{id}/teams', { params: { path: { id: unit }, query: { minPosition: seenPosition() } } })), [unit]);

  return (
    <div className="narrow">
      <PageTitle actions={staff && <button type="button" className="button button-primary" onClick={() => setForming(true)}>{t('teams.form')}</button>}>
        {t('nav.teams')}
      </PageTitle>
      <p className="muted">{t('teams.explain')}</p>
      {done && <Notice kind="success" title={done} />}
      {list.error ? <ErrorNotice error={list.error} onRetry={list.reload} />
        : !list.data ? <Loading />
          : list.data.teams.length === 0 ? <Empty title={t('teams.none')} />
            : (
              <ul className="cards" aria-label={t('nav.teams')}>
                {list.data.teams.map((team) => (
                  <li key={team.teamId} className="card record-card">
                    <div className="card-main">
                      <Link to={`/teams/${encodeURIComponent(team.teamId)}`} className="card-title">{team.name}</Link>
                      <p className="badge-row">
                        <Badge tone="info">{t(kindLabel(team.kind))}</Badge>
                        {team.orgUnitId !== unit && team.orgUnitName && <span className="muted small">{team.orgUnitName}</span>}
                      </p>
                    </div>
                    <div className="card-side"><span className="figure">{t('teams.members', { n: team.memberCount })}</span></div>
                  </li>
                ))}
              </ul>
            )}
      {forming && (
        <FormTeam unit={unit} onClose={() => setForming(false)} onDone={(name) => {
          setForming(false);
          setDone(t('teams.formed', { name }));
          list.reload();
        }} />
      )}
    </div>
  );
}

function FormTeam({ unit, onClose, onDone }: { unit: string; onClose: () => void; onDone: (name: string) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<TeamKind>('service-team');
  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.POST('/api/v1/teams', { headers, body: { orgUnitId: unit, name, kind } }));
    onDone(name.trim());
  });
  return (
    <Modal title={t('teams.form')} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field id="name" label={t('teams.name')} hint={t('teams.nameHint')} error={error}>
          <input id="name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Field id="kind" label={t('teams.kind')} error={error}>
          <select id="kind" value={kind} onChange={(e) => setKind(e.target.value as TeamKind)}>
            {TEAM_KINDS.map((k) => <option key={k} value={k}>{t(kindLabel(k))}</option>)}
          </select>
        </Field>
        <FormActions busy={busy} error={error} label={t('teams.formSubmit')} onCancel={onClose} fields={['name', 'kind']} />
      </form>
    </Modal>
  );
}

/** One team: its members (staff add one found by name; one leaves, with a reason) and its history. */
export function TeamPage({ teamId }: { teamId: string }) {
  const { t, lang } = useI18n();
  const account = useAccount();
  const staff = account.role === 'staff';
  const team = useApi(() => read(api.GET('/api/v1/teams/{id}', { params: { path: { id: teamId }, query: { minPosition: seenPosition() } } })), [teamId]);
  const [leaving, setLeaving] = useState<Schema<'TeamMemberView'> | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const nameOf = (who: { volunteerId: string | null; displayName: string | null }) => who.displayName ?? who.volunteerId ?? '';

  if (team.error) return <ErrorNotice error={team.error} onRetry={team.reload} />;
  if (!team.data) return <Loading />;
  const view = team.data;
  return (
    <div className="narrow">
      <p><Link to="/teams">← {t('teams.back')}</Link></p>
      <PageTitle>{view.name}</PageTitle>
      <p className="badge-row">
        <Badge tone="info">{t(kindLabel(view.kind))}</Badge>
        {view.orgUnitName && <span className="muted small">{t('teams.ofUnit', { unit: view.orgUnitName })}</span>}
      </p>
      {done && <Notice kind="success" title={done} />}
      <section className="card" aria-labelledby="members-heading">
        <h2 id="members-heading">{t('teams.membersHeading', { n: view.members.length })}</h2>
        {view.members.length > 0 && <p className="muted" data-testid="team-hours">{t('teams.membersHours', { h: hours(view.membersApprovedMinutes) })}</p>}
        {staff && <VolunteerPicker unit={account.orgUnitId ?? view.orgUnitId} label={t('teams.add')}
          taken={new Set(view.members.map((m) => m.volunteerId))} takenLabel={t('teams.already')}
          action={t('teams.join')} actionWho={(who) => t('teams.joinWho', { who })}
          onPick={async (volunteerId) => {
            await command((headers) => api.POST('/api/v1/teams/{id}/members', { headers, params: { path: { id: teamId } }, body: { volunteerId } }));
            setDone(null);
            team.reload();
          }} />}
        {view.members.length === 0 ? <Empty title={t(staff ? 'teams.noMembers' : 'teams.noMembersYet')} /> : (
          <ul className="roster" aria-label={t('teams.membersHeading', { n: view.members.length })}>
            {view.members.map((m) => (
              <li key={m.volunteerId} className="roster-row">
                <div className="roster-who">
                  {staff ? <Link to={`/staff/volunteers/${encodeURIComponent(m.volunteerId)}`} className="roster-name">{nameOf(m)}</Link>
                    : <span className="roster-name">{nameOf(m)}</span>}
                  <span className="muted small">{t('teams.joinedAt', { date: day(shanghaiToday(new Date(m.joinedAt)), lang) })}</span>
                </div>
                <span className="figure-small">{t('unit.hours', { h: hours(m.approvedMinutes) })}</span>
                {staff && (
                  <div className="roster-action">
                    <button type="button" className="button button-small button-ghost" aria-label={t('teams.leaveWho', { who: nameOf(m) })}
                      onClick={() => setLeaving(m)}>{t('teams.leave')}</button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card" aria-labelledby="history-heading">
        <h2 id="history-heading">{t('teams.history')}</h2>
        <ul className="timeline" aria-label={t('teams.history')}>
          {view.history.map((h) => (
            <li key={h.position}>
              <span className="muted small">{dateTime(h.recordedAt, lang)}</span>{' '}
              {h.what === 'formed' ? t('teams.historyFormed')
                : t(h.what === 'joined' ? 'teams.historyJoined' : 'teams.historyLeft', { who: nameOf(h) })}
              {h.reason && <span className="muted">{t('teams.historyReason', { reason: h.reason })}</span>}
            </li>
          ))}
        </ul>
      </section>
      {leaving && (
        <LeaveTeam teamId={teamId} member={leaving} name={nameOf(leaving)} onClose={() => setLeaving(null)} onDone={() => {
          setDone(t('teams.left', { who: nameOf(leaving) }));
          setLeaving(null);
          team.reload();
        }} />
      )}
    </div>
  );
}

function LeaveTeam({ teamId, member, name, onClose, onDone }: {
  teamId: string; member: Schema<'TeamMemberView'>; name: string; onClose: () => void; onDone: () => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, error, submit } = useSubmit(async () => {
    await command((headers) => api.POST('/api/v1/teams/{id}/members/{volunteerId}/leaving', {
      headers, params: { path: { id: teamId, volunteerId: member.volunteerId } }, body: { reason: reason.trim() || undefined },
    }));
    onDone();
  });
  return (
    <Modal title={t('teams.leaveWho', { who: name })} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <Field id="reason" label={t('teams.leaveReason')} error={error}>
          <input id="reason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} autoComplete="off" />
        </Field>
        <FormActions busy={busy} error={error} label={t('teams.leaveSubmit')} onCancel={onClose} fields={['reason']} />
      </form>
    </Modal>
  );
}
