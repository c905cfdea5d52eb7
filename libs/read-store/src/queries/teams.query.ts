import { teamDecider, type TeamEvent, type TeamKind, type TeamState, teamStream } from '@haitang/domain';
import type { EventStore, RecordedEvent } from '@haitang/event-store';
import { named, paddedIn, type ReadModels } from '../read-models.port';
import { auditNames } from './audit.query';
import { orgUnitName, registeredUnit } from './org-units.query';

/** A team as a list shows it. */
export interface TeamSummary {
  teamId: string;
  name: string;
  kind: TeamKind;
  orgUnitId: string;
  orgUnitName: string | null;
  /** Members now. */
  memberCount: number;
  formedAt: string;
}

export interface TeamMember {
  volunteerId: string;
  /** Null when the read models do not know the volunteer (yet). */
  displayName: string | null;
  /** When they last joined. */
  joinedAt: string;
  /** Their approved minutes, all time (in this team or not). */
  approvedMinutes: number;
}

/** One event of the team's stream, in words a page can show. */
export interface TeamHistoryEntry {
  position: number;
  recordedAt: string;
  what: 'formed' | 'joined' | 'left';
  volunteerId: string | null;
  displayName: string | null;
  reason: string | null;
}

export interface TeamView extends TeamSummary {
  members: TeamMember[];
  /** The members' approved minutes together, all time. */
  membersApprovedMinutes: number;
  history: TeamHistoryEntry[];
}

/**
 * Teams are not a read model of their own: a team's stream (`team-<id>`) is
 * short (it is formed, volunteers join and leave), so its state is the
 * domain's own fold of that stream, read from the log when asked, and always
 * as current as the log. Which teams a unit has comes from the read models'
 * stream owners (a team is owned by the unit it was formed in); the names of
 * the members from the volunteers' read model.
 */
export type TeamLog = Pick<EventStore, 'readStream'>;

/** The teams formed in the unit or any unit under it, by unit and name. Null when the unit is unknown. */
export async function unitTeams(db: ReadModels, log: TeamLog, orgUnitId: string): Promise<TeamSummary[] | null> {
  const unit = await registeredUnit(db, orgUnitId);
  if (unit === undefined) return null;
  // Team streams are numbered in stream_keys (kind 0: the key is stream_n * 8), a short table: few streams have no key of their own.
  const rows = await db.all<{ stream_id: string; unit_name: string | null }>(...named(`
    SELECT s.stream_id, u.name AS unit_name
    FROM stream_keys s
      JOIN stream_owners o ON o.stream_key = s.stream_n * 8
      JOIN org_unit_closure c ON c.descendant_n = o.unit_n AND c.ancestor_n = @unit
      LEFT JOIN org_units u ON u.unit_n = o.unit_n
    WHERE s.stream_id LIKE 'team-%'`, { unit }));
  const teams: TeamSummary[] = [];
  for (const row of rows) {
    const team = fold(await log.readStream(row.stream_id));
    if (team) teams.push({ ...summary(team.state, team.formedAt), orgUnitName: row.unit_name });
  }
  return teams.sort((a, b) => (a.orgUnitName ?? '').localeCompare(b.orgUnitName ?? '', 'zh') || a.name.localeCompare(b.name, 'zh') || a.teamId.localeCompare(b.teamId));
}

/** One team with its members (by name) and its history, newest first; null when there is no such team. */
export async function teamView(db: ReadModels, log: TeamLog, teamId: string): Promise<TeamView | null> {
  const events = await log.readStream(teamStream(teamId));
  const team = fold(events);
  if (!team) return null;
  const volunteers = new Set<string>();
  for (const e of events) {
    const volunteerId = (e.data as { volunteerId?: string }).volunteerId;
    if (volunteerId) volunteers.add(volunteerId);
  }
  const names = await auditNames(db, { volunteers, activities: [] });
  const unitName = await orgUnitName(db, team.state.orgUnitId);
  const minutes = await approvedMinutesOf(db, [...team.state.members]);
  const members = [...team.state.members]
    .map((volunteerId) => ({ volunteerId, displayName: names[volunteerId] ?? null, joinedAt: team.joinedAt.get(volunteerId)!, approvedMinutes: minutes.get(volunteerId) ?? 0 }))
    .sort((a, b) => (a.displayName ?? '\uffff').localeCompare(b.displayName ?? '\uffff', 'zh') || a.volunteerId.localeCompare(b.volunteerId));
  const history = events.map((e): TeamHistoryEntry => {
    const d = e.data as { volunteerId?: string; reason?: string | null };
    return {
      position: e.position, recordedAt: e.recordedAt,
      what: e.type === 'TeamFormed.v1' ? 'formed' : e.type === 'VolunteerJoinedTeam.v1' ? 'joined' : 'left',
      volunteerId: d.volunteerId ?? null, displayName: d.volunteerId ? names[d.volunteerId] ?? null : null, reason: d.reason ?? null,
    };
  }).reverse();
  const membersApprovedMinutes = members.reduce((sum, m) => sum + m.approvedMinutes, 0);
  return { ...summary(team.state, team.formedAt), orgUnitName: unitName, members, membersApprovedMinutes, history };
}

/** Approved minutes of each of these volunteers, all time: one statement (the records' index by volunteer and status). */
async function approvedMinutesOf(db: ReadModels, volunteerIds: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (volunteerIds.length === 0) return found;
  const { placeholders, params } = paddedIn(volunteerIds);
  const rows = await db.all<{ id: string; minutes: number }>(`SELECT k.volunteer_id AS id, coalesce(sum(r.minutes), 0) AS minutes
    FROM volunteer_keys k LEFT JOIN service_records r ON r.volunteer_n = k.volunteer_n AND r.status = 'approved'
    WHERE k.volunteer_id IN (${placeholders}) GROUP BY k.volunteer_id`, params);
  for (const row of rows) found.set(row.id, Number(row.minutes));
  return found;
}

/** The domain's state of a team stream, with when it was formed and when each member joined; null for no team. */
function fold(events: readonly RecordedEvent[]): { state: TeamState; formedAt: string; joinedAt: Map<string, string> } | null {
  let state = teamDecider.initialState;
  let formedAt = '';
  const joinedAt = new Map<string, string>();
  for (const e of events) {
    state = teamDecider.evolve(state, e as unknown as TeamEvent);
    if (e.type === 'TeamFormed.v1') formedAt = e.recordedAt;
    if (e.type === 'VolunteerJoinedTeam.v1') joinedAt.set((e.data as { volunteerId: string }).volunteerId, e.recordedAt);
  }
  return state.exists ? { state, formedAt, joinedAt } : null;
}

function summary(state: TeamState, formedAt: string): Omit<TeamSummary, 'orgUnitName'> {
  return { teamId: state.id, name: state.name, kind: state.kind, orgUnitId: state.orgUnitId, memberCount: state.members.size, formedAt };
}
