import {
  attendanceRecordId,
  recordStream,
  serviceRecordDecider,
  type ActivityCancelled,
  type RecordService,
  type RecordSource,
  type ServiceAmended,
  type ServiceApproved,
  type ServiceCategory,
  type ServiceRecorded,
  type ServiceRecordContext,
  type ServiceRejected,
  type ServiceRevoked,
} from '../src';
import { spec } from './decider-spec';
import { activityPlanned, activityState, community, missingOrgUnit, missingVolunteer, volunteer } from './fixtures';

// 2026-03-10 10:00 in Asia/Shanghai.
const now = new Date('2026-03-10T02:00:00Z');
const ctx: ServiceRecordContext = { now, volunteer, orgUnit: community };

const staffEntry = (overrides: Partial<RecordService> = {}): RecordService => ({
  type: 'RecordService',
  recordId: 'rec-1',
  volunteerId: 'vol-1',
  orgUnitId: 'taohuawu',
  category: 'errand-escort',
  serviceDate: '2026-03-08',
  minutes: 90,
  description: '陪同独居老人就医',
  source: 'staff',
  ...overrides,
});

const recorded = (overrides: Partial<ServiceRecorded['data']> = {}): ServiceRecorded => ({
  type: 'ServiceRecorded.v1',
  data: {
    recordId: 'rec-1',
    volunteerId: 'vol-1',
    orgUnitId: 'taohuawu',
    category: 'errand-escort',
    serviceDate: '2026-03-08',
    minutes: 90,
    description: '陪同独居老人就医',
    activityId: null,
    activityTitle: null,
    location: null,
    personInCharge: null,
    source: 'staff',
    status: 'approved',
    ...overrides,
  },
});
const pending = recorded({ source: 'self-report', status: 'pending' });
const approved: ServiceApproved = { type: 'ServiceApproved.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', minutes: 90 } };
const rejected: ServiceRejected = { type: 'ServiceRejected.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', reason: '无佐证' } };
const amended = (previousMinutes: number, minutes: number): ServiceAmended => ({
  type: 'ServiceAmended.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', previousMinutes, minutes, reason: '核对签到表' },
});
const revoked: ServiceRevoked = {
  type: 'ServiceRevoked.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', previousStatus: 'approved', minutes: 90, reason: '重复登记' },
};

describe('service records', () => {
  it('names its stream record-<id>', () => {
    expect(recordStream('rec-1')).toBe('record-rec-1');
  });

  describe('RecordService', () => {
    it.each<[RecordSource, 'approved' | 'pending']>([
      ['staff', 'approved'],
      ['import', 'approved'],
      ['attendance', 'approved'],
      ['self-report', 'pending'],
    ])('records a %s entry as %s', (source, status) => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ source }), ctx).then([recorded({ source, status })]);
    });

    it('trims the description and optional texts', () => {
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ description: '  陪同独居老人就医 ', location: ' 苏大附一院 ', personInCharge: ' 李书记 ' }), ctx)
        .then([recorded({ location: '苏大附一院', personInCharge: '李书记' })]);
    });

    it('takes title, place and person in charge from the linked activity', () => {
      const recordId = attendanceRecordId('act-1', 'vol-1');
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ recordId, activityId: 'act-1', category: 'anti-fraud', serviceDate: '2026-03-10', minutes: 120, description: '反诈宣传', source: 'attendance' }),
          { ...ctx, activity: activityState([activityPlanned()]) })
        .then([recorded({
          recordId, activityId: 'act-1', category: 'anti-fraud', serviceDate: '2026-03-10', minutes: 120, description: '反诈宣传',
          activityTitle: '反诈宣传进社区', location: '桃花坞社区党群服务中心', personInCharge: '李书记', source: 'attendance',
        })]);
    });

    it('keeps an explicitly given place and person in charge over the activity\'s', () => {
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ recordId: attendanceRecordId('act-1', 'vol-1'), activityId: 'act-1', location: '毛家桥社区', personInCharge: '张主任' }), { ...ctx, activity: activityState([activityPlanned()]) })
        .then([recorded({ recordId: attendanceRecordId('act-1', 'vol-1'), activityId: 'act-1', activityTitle: '反诈宣传进社区', location: '毛家桥社区', personInCharge: '张主任' })]);
    });

    it('refuses a record that already exists, whether linked to an activity or not', () => {
      spec(serviceRecordDecider).given([recorded()]).when(staffEntry(), ctx).thenRefuses('record-exists', 'conflict');
      spec(serviceRecordDecider).given([recorded({ activityId: 'act-1' })])
        .when(staffEntry({ activityId: 'act-1' }), { ...ctx, activity: activityState([activityPlanned()]) })
        .thenRefuses('record-exists', 'conflict');
    });

    it('refuses a volunteer who does not exist', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry(), { ...ctx, volunteer: missingVolunteer }).thenRefuses('volunteer-not-found', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry(), { now, orgUnit: community }).thenRefuses('volunteer-not-found', 'invalid');
    });

    it('refuses an org unit that does not exist', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry(), { ...ctx, orgUnit: missingOrgUnit }).thenRefuses('org-unit-not-found', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry(), { now, volunteer }).thenRefuses('org-unit-not-found', 'invalid');
    });

    it('refuses an unknown category', () => {
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ category: 'karaoke' as string as ServiceCategory }), ctx)
        .thenRefuses('category-unknown', 'invalid');
    });

    it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-3-8', '20260308', '2026-03-08T00:00:00Z', '', '08/03/2026'])(
      'refuses service date %p', (serviceDate) => {
        spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate }), ctx).thenRefuses('service-date-invalid', 'invalid');
      },
    );

    it('accepts a leap day', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2024-02-29' }), ctx).then([recorded({ serviceDate: '2024-02-29' })]);
    });

    it('accepts today and refuses tomorrow in Asia/Shanghai', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-10' }), ctx).then([recorded({ serviceDate: '2026-03-10' })]);
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-11' }), ctx).thenRefuses('service-date-in-future', 'invalid');
    });

    it('uses the Shanghai day, not the UTC day, at the boundary', () => {
      // 2026-03-01T16:30Z is 00:30 on 2026-03-02 in Shanghai: the 2nd is already "today".
      const justAfterMidnight = { ...ctx, now: new Date('2026-03-01T16:30:00Z') };
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-02' }), justAfterMidnight).then([recorded({ serviceDate: '2026-03-02' })]);
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-03' }), justAfterMidnight).thenRefuses('service-date-in-future', 'invalid');
      // One second before Shanghai midnight, the 2nd is still tomorrow.
      const justBeforeMidnight = { ...ctx, now: new Date('2026-03-01T15:59:59Z') };
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-02' }), justBeforeMidnight).thenRefuses('service-date-in-future', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2026-03-01' }), justBeforeMidnight).then([recorded({ serviceDate: '2026-03-01' })]);
    });

    it('accepts 2000-01-01 and refuses dates before 2000', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '2000-01-01' }), ctx).then([recorded({ serviceDate: '2000-01-01' })]);
      spec(serviceRecordDecider).given([]).when(staffEntry({ serviceDate: '1999-12-31' }), ctx).thenRefuses('service-date-too-old', 'invalid');
    });

    it('accepts 1 and 1440 minutes', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ minutes: 1 }), ctx).then([recorded({ minutes: 1 })]);
      spec(serviceRecordDecider).given([]).when(staffEntry({ minutes: 1440 }), ctx).then([recorded({ minutes: 1440 })]);
    });

    it.each([
      [1.5, 'minutes-not-integer'],
      [Number.NaN, 'minutes-not-integer'],
      [Number.POSITIVE_INFINITY, 'minutes-not-integer'],
      [0, 'minutes-too-small'],
      [-30, 'minutes-too-small'],
      [1441, 'minutes-too-large'],
    ])('refuses %p minutes with %s', (minutes, code) => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ minutes }), ctx).thenRefuses(code, 'invalid');
    });

    it('refuses an empty or too long description', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ description: '   ' }), ctx).thenRefuses('description-required', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry({ description: '述'.repeat(2001) }), ctx).thenRefuses('description-too-long', 'invalid');
    });

    it('refuses a too long place or person in charge', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ location: '地'.repeat(201) }), ctx).thenRefuses('location-too-long', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry({ personInCharge: '人'.repeat(51) }), ctx).thenRefuses('personInCharge-too-long', 'invalid');
    });

    it('refuses a record for an activity under any id but the attendance id, so one attendance is never recorded twice', () => {
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ recordId: 'rec-other', activityId: 'act-1' }), { ...ctx, activity: activityState([activityPlanned()]) })
        .thenRefuses('record-id-not-attendance', 'invalid');
    });

    it('refuses an unknown source', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ source: 'rumour' as RecordSource }), ctx).thenRefuses('source-unknown', 'invalid');
    });

    it('refuses a linked activity that does not exist', () => {
      spec(serviceRecordDecider).given([]).when(staffEntry({ recordId: attendanceRecordId('act-9', 'vol-1'), activityId: 'act-9' }), ctx).thenRefuses('activity-not-found', 'invalid');
      spec(serviceRecordDecider).given([]).when(staffEntry({ recordId: attendanceRecordId('act-9', 'vol-1'), activityId: 'act-9' }), { ...ctx, activity: activityState([]) })
        .thenRefuses('activity-not-found', 'invalid');
    });

    it('records no hours for a cancelled activity', () => {
      const cancelled: ActivityCancelled = { type: 'ActivityCancelled.v1', data: { activityId: 'act-1', reason: '暴雨' } };
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ recordId: attendanceRecordId('act-1', 'vol-1'), activityId: 'act-1', source: 'attendance' }), { ...ctx, activity: activityState([activityPlanned(), cancelled]) })
        .thenRefuses('activity-cancelled', 'conflict');
      spec(serviceRecordDecider).given([])
        .when(staffEntry({ recordId: attendanceRecordId('act-1', 'vol-1'), activityId: 'act-1', source: 'self-report' }), { ...ctx, activity: activityState([activityPlanned(), cancelled]) })
        .thenRefuses('activity-cancelled', 'conflict');
    });
  });

  describe('commands on a record that does not exist', () => {
    it.each([
      { type: 'ApproveService', recordId: 'rec-9' },
      { type: 'RejectService', recordId: 'rec-9', reason: '无佐证' },
      { type: 'AmendService', recordId: 'rec-9', minutes: 60, reason: '核对' },
      { type: 'RevokeService', recordId: 'rec-9', reason: '重复' },
    ] as const)('$type refuses with record-not-found', (command) => {
      spec(serviceRecordDecider).given([]).when(command, ctx).thenRefuses('record-not-found', 'not-found');
    });
  });

  describe('ApproveService', () => {
    it('approves a pending self-report with its minutes', () => {
      spec(serviceRecordDecider).given([pending]).when({ type: 'ApproveService', recordId: 'rec-1' }, ctx).then([approved]);
      expect(spec(serviceRecordDecider).given([pending, approved]).state.status).toBe('approved');
    });

    it('approves the amended minutes of a pending report', () => {
      spec(serviceRecordDecider).given([pending, amended(90, 60)]).when({ type: 'ApproveService', recordId: 'rec-1' }, ctx)
        .then([{ type: 'ServiceApproved.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', minutes: 60 } }]);
    });

    it.each([
      ['approved at once', [recorded()]],
      ['approved after review', [pending, approved]],
      ['rejected', [pending, rejected]],
      ['revoked', [recorded(), revoked]],
    ] as const)('refuses a record that is %s', (_label, given) => {
      spec(serviceRecordDecider).given(given).when({ type: 'ApproveService', recordId: 'rec-1' }, ctx).thenRefuses('record-not-pending', 'conflict');
    });
  });

  describe('RejectService', () => {
    it('rejects a pending self-report with a trimmed reason', () => {
      spec(serviceRecordDecider).given([pending]).when({ type: 'RejectService', recordId: 'rec-1', reason: ' 无佐证 ' }, ctx).then([rejected]);
      expect(spec(serviceRecordDecider).given([pending, rejected]).state.status).toBe('rejected');
    });

    it('refuses an empty or too long reason', () => {
      spec(serviceRecordDecider).given([pending]).when({ type: 'RejectService', recordId: 'rec-1', reason: '' }, ctx).thenRefuses('reason-required', 'invalid');
      spec(serviceRecordDecider).given([pending]).when({ type: 'RejectService', recordId: 'rec-1', reason: '因'.repeat(501) }, ctx)
        .thenRefuses('reason-too-long', 'invalid');
    });

    it.each([
      ['approved', [recorded()]],
      ['rejected', [pending, rejected]],
      ['revoked', [pending, approved, revoked]],
    ] as const)('refuses a record that is %s', (_label, given) => {
      spec(serviceRecordDecider).given(given).when({ type: 'RejectService', recordId: 'rec-1', reason: '无佐证' }, ctx)
        .thenRefuses('record-not-pending', 'conflict');
    });
  });

  describe('AmendService', () => {
    it('amends an approved record, keeping the previous minutes', () => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 75, reason: ' 核对签到表 ' }, ctx)
        .then([amended(90, 75)]);
    });

    it('amends a pending record, which stays pending', () => {
      spec(serviceRecordDecider).given([pending]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 120, reason: '核对签到表' }, ctx)
        .then([amended(90, 120)]);
      const state = spec(serviceRecordDecider).given([pending, amended(90, 120)]).state;
      expect(state.status).toBe('pending');
      expect(state.details?.minutes).toBe(120);
    });

    it('reports the latest minutes as previous on a second amendment', () => {
      spec(serviceRecordDecider).given([recorded(), amended(90, 75)])
        .when({ type: 'AmendService', recordId: 'rec-1', minutes: 80, reason: '核对签到表' }, ctx)
        .then([amended(75, 80)]);
    });

    it.each([
      ['rejected', [pending, rejected]],
      ['revoked', [recorded(), revoked]],
    ] as const)('refuses a record that is %s', (_label, given) => {
      spec(serviceRecordDecider).given(given).when({ type: 'AmendService', recordId: 'rec-1', minutes: 60, reason: '核对签到表' }, ctx)
        .thenRefuses('record-closed', 'conflict');
    });

    it.each([
      [0, 'minutes-too-small'],
      [1441, 'minutes-too-large'],
      [59.5, 'minutes-not-integer'],
    ])('refuses %p minutes with %s', (minutes, code) => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'AmendService', recordId: 'rec-1', minutes, reason: '核对签到表' }, ctx)
        .thenRefuses(code, 'invalid');
    });

    it('refuses an empty or too long reason', () => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 60, reason: ' ' }, ctx)
        .thenRefuses('reason-required', 'invalid');
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 60, reason: '因'.repeat(501) }, ctx)
        .thenRefuses('reason-too-long', 'invalid');
    });

    it('refuses unchanged minutes', () => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 90, reason: '核对签到表' }, ctx)
        .thenRefuses('minutes-unchanged', 'conflict');
      spec(serviceRecordDecider).given([recorded(), amended(90, 75)]).when({ type: 'AmendService', recordId: 'rec-1', minutes: 75, reason: '核对签到表' }, ctx)
        .thenRefuses('minutes-unchanged', 'conflict');
    });
  });

  describe('RevokeService', () => {
    it('revokes an approved record with its current minutes', () => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'RevokeService', recordId: 'rec-1', reason: ' 重复登记 ' }, ctx).then([revoked]);
      spec(serviceRecordDecider).given([recorded(), amended(90, 75)]).when({ type: 'RevokeService', recordId: 'rec-1', reason: '重复登记' }, ctx)
        .then([{ type: 'ServiceRevoked.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', previousStatus: 'approved', minutes: 75, reason: '重复登记' } }]);
      expect(spec(serviceRecordDecider).given([recorded(), revoked]).state.status).toBe('revoked');
    });

    it('revokes a pending record, remembering it was pending', () => {
      spec(serviceRecordDecider).given([pending]).when({ type: 'RevokeService', recordId: 'rec-1', reason: '重复登记' }, ctx)
        .then([{ type: 'ServiceRevoked.v1', data: { recordId: 'rec-1', volunteerId: 'vol-1', previousStatus: 'pending', minutes: 90, reason: '重复登记' } }]);
    });

    it.each([
      ['rejected', [pending, rejected]],
      ['revoked', [recorded(), revoked]],
    ] as const)('refuses a record that is %s', (_label, given) => {
      spec(serviceRecordDecider).given(given).when({ type: 'RevokeService', recordId: 'rec-1', reason: '重复登记' }, ctx)
        .thenRefuses('record-closed', 'conflict');
    });

    it('refuses an empty or too long reason', () => {
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'RevokeService', recordId: 'rec-1', reason: '' }, ctx)
        .thenRefuses('reason-required', 'invalid');
      spec(serviceRecordDecider).given([recorded()]).when({ type: 'RevokeService', recordId: 'rec-1', reason: '因'.repeat(501) }, ctx)
        .thenRefuses('reason-too-long', 'invalid');
    });
  });
});
