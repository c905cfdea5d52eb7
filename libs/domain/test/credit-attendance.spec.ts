import { attendanceRecordId, creditAttendance, type Attendance } from '../src';

const window = { activityId: 'act-1', startsAt: '2026-03-10T01:00:00.000Z', endsAt: '2026-03-10T03:00:00.000Z' };
const roster = (entries: Record<string, Attendance>): ReadonlyMap<string, Attendance> => new Map(Object.entries(entries));
const attended = (checkedInAt: string | null, checkedOutAt: string | null): Attendance => ({ checkedInAt, checkedOutAt });

describe('attendanceRecordId', () => {
  it('is deterministic and has a fixed, known value', () => {
    expect(attendanceRecordId('act-1', 'vol-1')).toBe('att-563029c5e7e800d24d2b6e7faeb1a1e5');
    expect(attendanceRecordId('act-1', 'vol-1')).toBe(attendanceRecordId('act-1', 'vol-1'));
  });

  it('has the form att-<32 hex digits>', () => {
    expect(attendanceRecordId('活动-甲', '志愿者-乙')).toMatch(/^att-[0-9a-f]{32}$/);
  });

  it('differs for another volunteer or another activity', () => {
    const base = attendanceRecordId('act-1', 'vol-1');
    expect(attendanceRecordId('act-1', 'vol-2')).not.toBe(base);
    expect(attendanceRecordId('act-2', 'vol-1')).not.toBe(base);
    expect(attendanceRecordId('vol-1', 'act-1')).not.toBe(base);
  });

  it('does not confuse ids whose concatenation is the same', () => {
    expect(attendanceRecordId('ab', 'c')).not.toBe(attendanceRecordId('a', 'bc'));
  });
});

describe('creditAttendance', () => {
  it('credits the whole window when check-in is before the start and check-out after the end', () => {
    expect(creditAttendance(window, roster({ v: attended('2026-03-10T00:15:00.000Z', '2026-03-10T05:00:00.000Z') }))).toEqual({
      credited: [{ volunteerId: 'v', recordId: attendanceRecordId('act-1', 'v'), minutes: 120 }],
      notCredited: [],
    });
  });

  it('clamps only the start for an early arrival', () => {
    expect(creditAttendance(window, roster({ v: attended('2026-03-10T00:40:00.000Z', '2026-03-10T02:00:00.000Z') })).credited)
      .toEqual([{ volunteerId: 'v', recordId: attendanceRecordId('act-1', 'v'), minutes: 60 }]);
  });

  it('clamps only the end for a late leaver', () => {
    expect(creditAttendance(window, roster({ v: attended('2026-03-10T02:30:00.000Z', '2026-03-10T03:40:00.000Z') })).credited)
      .toEqual([{ volunteerId: 'v', recordId: attendanceRecordId('act-1', 'v'), minutes: 30 }]);
  });

  it('counts whole minutes, rounding down, never fractions', () => {
    const { credited } = creditAttendance(window, roster({ v: attended('2026-03-10T01:00:40.000Z', '2026-03-10T01:46:39.999Z') }));
    expect(credited).toEqual([{ volunteerId: 'v', recordId: attendanceRecordId('act-1', 'v'), minutes: 45 }]);
    expect(Number.isInteger(credited[0]!.minutes)).toBe(true);
  });

  it('flags a missed check-out and does not credit it', () => {
    expect(creditAttendance(window, roster({ v: attended('2026-03-10T01:00:00.000Z', null) }))).toEqual({
      credited: [],
      notCredited: [{ volunteerId: 'v', reason: 'missed-check-out' }],
    });
  });

  it('flags a no-show', () => {
    expect(creditAttendance(window, roster({ v: attended(null, null) }))).toEqual({
      credited: [],
      notCredited: [{ volunteerId: 'v', reason: 'no-show' }],
    });
  });

  it('flags attendance with less than one minute inside the window', () => {
    expect(creditAttendance(window, roster({
      before: attended('2026-03-10T00:05:00.000Z', '2026-03-10T00:55:00.000Z'),
      after: attended('2026-03-10T03:00:00.000Z', '2026-03-10T03:20:00.000Z'),
      blink: attended('2026-03-10T01:30:00.000Z', '2026-03-10T01:30:59.000Z'),
    }))).toEqual({
      credited: [],
      notCredited: [
        { volunteerId: 'before', reason: 'no-time-in-window' },
        { volunteerId: 'after', reason: 'no-time-in-window' },
        { volunteerId: 'blink', reason: 'no-time-in-window' },
      ],
    });
  });

  it('credits exactly one minute', () => {
    expect(creditAttendance(window, roster({ v: attended('2026-03-10T02:59:00.000Z', '2026-03-10T03:30:00.000Z') })).credited)
      .toEqual([{ volunteerId: 'v', recordId: attendanceRecordId('act-1', 'v'), minutes: 1 }]);
  });

  it('keeps roster order and uses the activity id in record ids', () => {
    const result = creditAttendance({ ...window, activityId: 'act-9' }, roster({
      z: attended('2026-03-10T01:00:00.000Z', '2026-03-10T01:10:00.000Z'),
      a: attended('2026-03-10T01:00:00.000Z', '2026-03-10T01:20:00.000Z'),
    }));
    expect(result.credited).toEqual([
      { volunteerId: 'z', recordId: attendanceRecordId('act-9', 'z'), minutes: 10 },
      { volunteerId: 'a', recordId: attendanceRecordId('act-9', 'a'), minutes: 20 },
    ]);
    expect(result.credited[0]!.recordId).not.toBe(attendanceRecordId('act-1', 'z'));
  });

  it('returns nothing for an empty roster', () => {
    expect(creditAttendance(window, new Map())).toEqual({ credited: [], notCredited: [] });
  });
});
