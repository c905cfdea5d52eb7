import { volunteerDecider, volunteerStream, type Occupation, type VolunteerPersonalDataErased, type VolunteerProfileUpdated } from '../src';
import { spec } from './decider-spec';
import { community, missingOrgUnit, street, volunteerRegistered } from './fixtures';

const now = new Date('2026-03-10T02:00:00Z');
const ctx = { now };
const erased: VolunteerPersonalDataErased = { type: 'VolunteerPersonalDataErased.v1', data: { volunteerId: 'vol-1', reason: null } };

describe('volunteers', () => {
  it('names its stream volunteer-<id>', () => {
    expect(volunteerStream('vol-1')).toBe('volunteer-vol-1');
  });

  describe('RegisterVolunteer', () => {
    it('registers with all attributes and the sealed personal data', () => {
      spec(volunteerDecider)
        .given([])
        .when({
          type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'taohuawu', displayName: ' 王阿姨 ',
          partyMember: true, senior: true, occupation: 'other', personalData: 'sealed:abc',
        }, { now, homeOrgUnit: community })
        .then([volunteerRegistered]);
    });

    it('defaults to not a party member, not senior, occupation other, no personal data', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-2', homeOrgUnitId: 'taohuawu', displayName: '小张' }, { now, homeOrgUnit: community })
        .then([{
          type: 'VolunteerRegistered.v1',
          data: { volunteerId: 'vol-2', homeOrgUnitId: 'taohuawu', displayName: '小张', partyMember: false, senior: false, occupation: 'other', personalData: null },
        }]);
    });

    it('records a food-delivery rider', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-3', homeOrgUnitId: 'taohuawu', displayName: '骑手老陈', occupation: 'food-delivery' }, { now, homeOrgUnit: community })
        .then([{
          type: 'VolunteerRegistered.v1',
          data: { volunteerId: 'vol-3', homeOrgUnitId: 'taohuawu', displayName: '骑手老陈', partyMember: false, senior: false, occupation: 'food-delivery', personalData: null },
        }]);
    });

    it('refuses a volunteer already registered', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'taohuawu', displayName: '王阿姨' }, { now, homeOrgUnit: community })
        .thenRefuses('volunteer-exists', 'conflict');
    });

    it('refuses a home org unit that does not exist', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'nowhere', displayName: '王阿姨' }, ctx)
        .thenRefuses('home-org-unit-not-found', 'invalid');
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'nowhere', displayName: '王阿姨' }, { now, homeOrgUnit: missingOrgUnit })
        .thenRefuses('home-org-unit-not-found', 'invalid');
    });

    it('refuses an unknown occupation', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'taohuawu', displayName: '王阿姨', occupation: 'astronaut' as string as Occupation }, { now, homeOrgUnit: community })
        .thenRefuses('occupation-unknown', 'invalid');
    });

    it('refuses an empty display name and one longer than 50 characters', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'taohuawu', displayName: '  ' }, { now, homeOrgUnit: community })
        .thenRefuses('displayName-required', 'invalid');
      spec(volunteerDecider)
        .given([])
        .when({ type: 'RegisterVolunteer', volunteerId: 'vol-1', homeOrgUnitId: 'taohuawu', displayName: '名'.repeat(51) }, { now, homeOrgUnit: community })
        .thenRefuses('displayName-too-long', 'invalid');
    });
  });

  describe('UpdateVolunteerProfile', () => {
    it('emits only the attributes that actually change', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({
          type: 'UpdateVolunteerProfile', volunteerId: 'vol-1',
          changes: { displayName: '王阿姨', partyMember: true, senior: false, occupation: 'courier' },
        }, ctx)
        .then([{ type: 'VolunteerProfileUpdated.v1', data: { volunteerId: 'vol-1', senior: false, occupation: 'courier' } }]);
    });

    it('renames with a trimmed display name', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { displayName: ' 王秀英 ' } }, ctx)
        .then([{ type: 'VolunteerProfileUpdated.v1', data: { volunteerId: 'vol-1', displayName: '王秀英' } }]);
    });

    it('moves the volunteer to another existing home unit', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { homeOrgUnitId: 'jinchang' } }, { now, homeOrgUnit: street })
        .then([{ type: 'VolunteerProfileUpdated.v1', data: { volunteerId: 'vol-1', homeOrgUnitId: 'jinchang' } }]);
    });

    it('replaces sealed personal data and clears the erased flag', () => {
      const given = spec(volunteerDecider).given([volunteerRegistered, erased]);
      expect(given.state.erased).toBe(true);
      expect(given.state.hasPersonalData).toBe(false);
      given
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { personalData: 'sealed:new' } }, ctx)
        .then([{ type: 'VolunteerProfileUpdated.v1', data: { volunteerId: 'vol-1', personalData: 'sealed:new' } }]);
      const updated: VolunteerProfileUpdated = { type: 'VolunteerProfileUpdated.v1', data: { volunteerId: 'vol-1', personalData: 'sealed:new' } };
      const after = spec(volunteerDecider).given([volunteerRegistered, erased, updated]).state;
      expect(after.erased).toBe(false);
      expect(after.hasPersonalData).toBe(true);
    });

    it('refuses a volunteer that does not exist', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-9', changes: { senior: true } }, ctx)
        .thenRefuses('volunteer-not-found', 'not-found');
    });

    it('refuses an empty or too long display name', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { displayName: '' } }, ctx)
        .thenRefuses('displayName-required', 'invalid');
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { displayName: '名'.repeat(51) } }, ctx)
        .thenRefuses('displayName-too-long', 'invalid');
    });

    it('refuses a new home unit that does not exist', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { homeOrgUnitId: 'nowhere' } }, { now, homeOrgUnit: missingOrgUnit })
        .thenRefuses('home-org-unit-not-found', 'invalid');
    });

    it('refuses an unknown occupation', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: { occupation: 'astronaut' as string as Occupation } }, ctx)
        .thenRefuses('occupation-unknown', 'invalid');
    });

    it('refuses a change that changes nothing', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({
          type: 'UpdateVolunteerProfile', volunteerId: 'vol-1',
          changes: { displayName: ' 王阿姨 ', homeOrgUnitId: 'taohuawu', partyMember: true, senior: true, occupation: 'other' },
        }, ctx)
        .thenRefuses('nothing-to-change', 'conflict');
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'UpdateVolunteerProfile', volunteerId: 'vol-1', changes: {} }, ctx)
        .thenRefuses('nothing-to-change', 'conflict');
    });
  });

  describe('EraseVolunteerPersonalData', () => {
    it('erases, with or without a reason', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'EraseVolunteerPersonalData', volunteerId: 'vol-1' }, ctx)
        .then([erased]);
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'EraseVolunteerPersonalData', volunteerId: 'vol-1', reason: ' 本人申请 ' }, ctx)
        .then([{ type: 'VolunteerPersonalDataErased.v1', data: { volunteerId: 'vol-1', reason: '本人申请' } }]);
    });

    it('keeps the attributes that statistics need after erasure', () => {
      const state = spec(volunteerDecider).given([volunteerRegistered, erased]).state;
      expect(state).toEqual({
        exists: true, id: 'vol-1', displayName: '王阿姨', homeOrgUnitId: 'taohuawu', partyMember: true, senior: true,
        occupation: 'other', hasPersonalData: false, erased: true,
      });
    });

    it('refuses a volunteer that does not exist', () => {
      spec(volunteerDecider)
        .given([])
        .when({ type: 'EraseVolunteerPersonalData', volunteerId: 'vol-9' }, ctx)
        .thenRefuses('volunteer-not-found', 'not-found');
    });

    it('refuses a second erasure', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered, erased])
        .when({ type: 'EraseVolunteerPersonalData', volunteerId: 'vol-1' }, ctx)
        .thenRefuses('already-erased', 'conflict');
    });

    it('refuses a reason longer than 500 characters', () => {
      spec(volunteerDecider)
        .given([volunteerRegistered])
        .when({ type: 'EraseVolunteerPersonalData', volunteerId: 'vol-1', reason: '因'.repeat(501) }, ctx)
        .thenRefuses('reason-too-long', 'invalid');
    });
  });
});
