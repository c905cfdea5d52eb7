import { teamDecider, teamStream, type TeamFormed, type TeamKind, type VolunteerJoinedTeam, type VolunteerLeftTeam } from '../src';
import { spec } from './decider-spec';
import { community, missingOrgUnit, missingVolunteer, volunteer } from './fixtures';

const now = new Date('2026-03-10T02:00:00Z');
const ctx = { now };

const formed: TeamFormed = { type: 'TeamFormed.v1', data: { teamId: 'team-1', orgUnitId: 'taohuawu', name: '红引擎车队', kind: 'red-engine' } };
const joined: VolunteerJoinedTeam = { type: 'VolunteerJoinedTeam.v1', data: { teamId: 'team-1', volunteerId: 'vol-1' } };
const left: VolunteerLeftTeam = { type: 'VolunteerLeftTeam.v1', data: { teamId: 'team-1', volunteerId: 'vol-1', reason: null } };

describe('teams', () => {
  it('names its stream team-<id>', () => {
    expect(teamStream('team-1')).toBe('team-team-1');
  });

  it('folds joins and leaves into the member set', () => {
    expect([...spec(teamDecider).given([formed, joined]).state.members]).toEqual(['vol-1']);
    expect(spec(teamDecider).given([formed, joined, left]).state.members.size).toBe(0);
  });

  describe('FormTeam', () => {
    it('forms a team with a trimmed name', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'taohuawu', name: ' 红引擎车队 ', kind: 'red-engine' }, { now, orgUnit: community })
        .then([formed]);
    });

    it('refuses a team that already exists', () => {
      spec(teamDecider)
        .given([formed])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'taohuawu', name: '红引擎车队', kind: 'red-engine' }, { now, orgUnit: community })
        .thenRefuses('team-exists', 'conflict');
    });

    it('refuses an org unit that does not exist', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'nowhere', name: '红引擎车队', kind: 'red-engine' }, ctx)
        .thenRefuses('org-unit-not-found', 'invalid');
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'nowhere', name: '红引擎车队', kind: 'red-engine' }, { now, orgUnit: missingOrgUnit })
        .thenRefuses('org-unit-not-found', 'invalid');
    });

    it('refuses an unknown team kind', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'taohuawu', name: '队', kind: 'gang' as string as TeamKind }, { now, orgUnit: community })
        .thenRefuses('team-kind-unknown', 'invalid');
    });

    it('refuses an empty or too long name', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'taohuawu', name: '  ', kind: 'service-team' }, { now, orgUnit: community })
        .thenRefuses('name-required', 'invalid');
      spec(teamDecider)
        .given([])
        .when({ type: 'FormTeam', teamId: 'team-1', orgUnitId: 'taohuawu', name: '队'.repeat(101), kind: 'service-team' }, { now, orgUnit: community })
        .thenRefuses('name-too-long', 'invalid');
    });
  });

  describe('JoinTeam', () => {
    it('adds a registered volunteer', () => {
      spec(teamDecider)
        .given([formed])
        .when({ type: 'JoinTeam', teamId: 'team-1', volunteerId: 'vol-1' }, { now, volunteer })
        .then([joined]);
    });

    it('lets a volunteer who left join again', () => {
      spec(teamDecider)
        .given([formed, joined, left])
        .when({ type: 'JoinTeam', teamId: 'team-1', volunteerId: 'vol-1' }, { now, volunteer })
        .then([joined]);
    });

    it('refuses a team that does not exist', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'JoinTeam', teamId: 'team-9', volunteerId: 'vol-1' }, { now, volunteer })
        .thenRefuses('team-not-found', 'not-found');
    });

    it('refuses a volunteer who does not exist', () => {
      spec(teamDecider)
        .given([formed])
        .when({ type: 'JoinTeam', teamId: 'team-1', volunteerId: 'vol-9' }, { now, volunteer: missingVolunteer })
        .thenRefuses('volunteer-not-found', 'invalid');
      spec(teamDecider)
        .given([formed])
        .when({ type: 'JoinTeam', teamId: 'team-1', volunteerId: 'vol-9' }, ctx)
        .thenRefuses('volunteer-not-found', 'invalid');
    });

    it('refuses a volunteer who is already a member', () => {
      spec(teamDecider)
        .given([formed, joined])
        .when({ type: 'JoinTeam', teamId: 'team-1', volunteerId: 'vol-1' }, { now, volunteer })
        .thenRefuses('already-member', 'conflict');
    });
  });

  describe('LeaveTeam', () => {
    it('removes a member, with or without a reason', () => {
      spec(teamDecider)
        .given([formed, joined])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1' }, ctx)
        .then([left]);
      spec(teamDecider)
        .given([formed, joined])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1', reason: ' 搬家 ' }, ctx)
        .then([{ type: 'VolunteerLeftTeam.v1', data: { teamId: 'team-1', volunteerId: 'vol-1', reason: '搬家' } }]);
    });

    it('treats a blank reason as no reason', () => {
      spec(teamDecider)
        .given([formed, joined])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1', reason: '   ' }, ctx)
        .then([left]);
    });

    it('refuses a team that does not exist', () => {
      spec(teamDecider)
        .given([])
        .when({ type: 'LeaveTeam', teamId: 'team-9', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('team-not-found', 'not-found');
    });

    it('refuses a volunteer who is not a member', () => {
      spec(teamDecider)
        .given([formed])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('not-a-member', 'conflict');
      spec(teamDecider)
        .given([formed, joined, left])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('not-a-member', 'conflict');
    });

    it('refuses a reason longer than 500 characters', () => {
      spec(teamDecider)
        .given([formed, joined])
        .when({ type: 'LeaveTeam', teamId: 'team-1', volunteerId: 'vol-1', reason: '因'.repeat(501) }, ctx)
        .thenRefuses('reason-too-long', 'invalid');
    });
  });
});
