import {
  activityDecider,
  fold,
  orgUnitDecider,
  volunteerDecider,
  type ActivityEvent,
  type ActivityPlanned,
  type ActivityState,
  type OrgUnitRegistered,
  type OrgUnitState,
  type VolunteerRegistered,
  type VolunteerState,
} from '../src';

/** Shared, fixed facts for the domain specs. Nothing here reads the real clock. */

export const districtRegistered: OrgUnitRegistered = {
  type: 'OrgUnitRegistered.v1',
  data: { orgUnitId: 'gusu', kind: 'district', name: '姑苏区', parentId: null },
};
export const streetRegistered: OrgUnitRegistered = {
  type: 'OrgUnitRegistered.v1',
  data: { orgUnitId: 'jinchang', kind: 'street', name: '金阊街道', parentId: 'gusu' },
};
export const townRegistered: OrgUnitRegistered = {
  type: 'OrgUnitRegistered.v1',
  data: { orgUnitId: 'wangting', kind: 'town', name: '望亭镇', parentId: 'xiangcheng' },
};
export const communityRegistered: OrgUnitRegistered = {
  type: 'OrgUnitRegistered.v1',
  data: { orgUnitId: 'taohuawu', kind: 'community', name: '桃花坞社区', parentId: 'jinchang' },
};

export const orgUnitState = (event: OrgUnitRegistered): OrgUnitState => fold(orgUnitDecider, [event]);
export const district = orgUnitState(districtRegistered);
export const street = orgUnitState(streetRegistered);
export const town = orgUnitState(townRegistered);
export const community = orgUnitState(communityRegistered);
export const missingOrgUnit: OrgUnitState = orgUnitDecider.initialState;

export const volunteerRegistered: VolunteerRegistered = {
  type: 'VolunteerRegistered.v1',
  data: {
    volunteerId: 'vol-1',
    homeOrgUnitId: 'taohuawu',
    displayName: '王阿姨',
    partyMember: true,
    senior: true,
    occupation: 'other',
    personalData: 'sealed:abc',
  },
};
export const volunteer: VolunteerState = fold(volunteerDecider, [volunteerRegistered]);
export const missingVolunteer: VolunteerState = volunteerDecider.initialState;

/** 09:00–11:00 Asia/Shanghai on 2026-03-10. */
export const STARTS_AT = '2026-03-10T01:00:00.000Z';
export const ENDS_AT = '2026-03-10T03:00:00.000Z';

export const activityPlanned = (overrides: Partial<ActivityPlanned['data']> = {}): ActivityPlanned => ({
  type: 'ActivityPlanned.v1',
  data: {
    activityId: 'act-1',
    orgUnitId: 'taohuawu',
    title: '反诈宣传进社区',
    category: 'anti-fraud',
    location: '桃花坞社区党群服务中心',
    startsAt: STARTS_AT,
    endsAt: ENDS_AT,
    capacity: null,
    description: '发放反诈宣传单',
    personInCharge: '李书记',
    ...overrides,
  },
});

export const activityState = (events: readonly ActivityEvent[]): ActivityState => fold(activityDecider, events);

export const at = (iso: string) => ({ now: new Date(iso) });
