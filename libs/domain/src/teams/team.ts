import { Set as ImmutableSet } from 'immutable';
import { conflict, invalid, notFound } from '../shared/domain-error';
import type { Decider, DecisionContext, DomainEvent } from '../shared/event';
import { optionalText, requiredText } from '../shared/text';
import type { OrgUnitState } from '../org-units/org-unit';
import type { VolunteerState } from '../volunteers/volunteer';

/** 志愿服务队, 党建联盟, 先锋骑行队, 红引擎 and the like. */
export const TEAM_KINDS = {
  'service-team': '志愿服务队',
  'party-alliance': '党建联盟',
  'rider-team': '先锋骑行队',
  'red-engine': '红引擎',
  'service-station': '服务阵地',
  other: '其他',
} as const;
export type TeamKind = keyof typeof TEAM_KINDS;

export type TeamFormed = DomainEvent<'TeamFormed.v1', { teamId: string; orgUnitId: string; name: string; kind: TeamKind }>;
export type VolunteerJoinedTeam = DomainEvent<'VolunteerJoinedTeam.v1', { teamId: string; volunteerId: string }>;
export type VolunteerLeftTeam = DomainEvent<'VolunteerLeftTeam.v1', { teamId: string; volunteerId: string; reason: string | null }>;
export type TeamEvent = TeamFormed | VolunteerJoinedTeam | VolunteerLeftTeam;

export type FormTeam = { type: 'FormTeam'; teamId: string; orgUnitId: string; name: string; kind: TeamKind };
export type JoinTeam = { type: 'JoinTeam'; teamId: string; volunteerId: string };
export type LeaveTeam = { type: 'LeaveTeam'; teamId: string; volunteerId: string; reason?: string | null };
export type TeamCommand = FormTeam | JoinTeam | LeaveTeam;

export interface TeamState {
  readonly exists: boolean;
  readonly id: string;
  readonly orgUnitId: string;
  readonly name: string;
  readonly kind: TeamKind;
  /** A persistent set: a join shares the other members with the state before (no copy per event). */
  readonly members: ImmutableSet<string>;
}

export interface TeamContext extends DecisionContext {
  readonly orgUnit?: OrgUnitState;
  readonly volunteer?: VolunteerState;
}

export const teamStream = (teamId: string) => `team-${teamId}`;

const initialState: TeamState = { exists: false, id: '', orgUnitId: '', name: '', kind: 'other', members: ImmutableSet() };

function evolve(state: TeamState, event: TeamEvent): TeamState {
  switch (event.type) {
    case 'TeamFormed.v1':
      return { ...state, exists: true, id: event.data.teamId, orgUnitId: event.data.orgUnitId, name: event.data.name, kind: event.data.kind };
    case 'VolunteerJoinedTeam.v1':
      return { ...state, members: state.members.add(event.data.volunteerId) };
    case 'VolunteerLeftTeam.v1':
      return { ...state, members: state.members.delete(event.data.volunteerId) };
    default:
      return state;
  }
}

function decide(command: TeamCommand, state: TeamState, context: TeamContext): TeamEvent[] {
  if (command.type === 'FormTeam') {
    if (state.exists) throw conflict('team-exists', '该队伍已成立。(This team already exists.)');
    if (!context.orgUnit?.exists) throw invalid('org-unit-not-found', '找不到队伍所属单位。(The org unit does not exist.)');
    if (!Object.prototype.hasOwnProperty.call(TEAM_KINDS, command.kind)) throw invalid('team-kind-unknown', '队伍类型不正确。(Unknown team kind.)');
    return [{ type: 'TeamFormed.v1', data: { teamId: command.teamId, orgUnitId: command.orgUnitId, name: requiredText(command.name, 'name', '队伍名称', 100), kind: command.kind } }];
  }
  if (!state.exists) throw notFound('team-not-found', '找不到该队伍。(Team not found.)');
  if (command.type === 'JoinTeam') {
    if (!context.volunteer?.exists) throw invalid('volunteer-not-found', '找不到该志愿者。(The volunteer does not exist.)');
    if (state.members.has(command.volunteerId)) throw conflict('already-member', '该志愿者已在队伍中。(The volunteer is already a member.)');
    return [{ type: 'VolunteerJoinedTeam.v1', data: { teamId: state.id, volunteerId: command.volunteerId } }];
  }
  if (!state.members.has(command.volunteerId)) throw conflict('not-a-member', '该志愿者不在队伍中。(The volunteer is not a member.)');
  return [{ type: 'VolunteerLeftTeam.v1', data: { teamId: state.id, volunteerId: command.volunteerId, reason: optionalText(command.reason, 'reason', '原因') } }];
}

export const teamDecider: Decider<TeamCommand, TeamEvent, TeamState, TeamContext> = { initialState, evolve, decide };
