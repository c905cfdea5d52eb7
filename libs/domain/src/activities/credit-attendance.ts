import { hash } from 'node:crypto';
import { wholeMinutesBetween } from '../shared/time';
import type { ActivityDetails, Attendance } from './activity';

export interface AttendanceCredit { volunteerId: string; recordId: string; minutes: number }
/** Why completion credited an enrolled volunteer nothing. */
export const NOT_CREDITED_REASONS = ['missed-check-out', 'no-time-in-window', 'no-show', 'already-recorded'] as const;
export interface NotCredited { volunteerId: string; reason: (typeof NOT_CREDITED_REASONS)[number] }

/**
 * The one service record a volunteer can have for an activity. Deriving its id
 * from (activity, volunteer) means a second record for the same attendance,
 * by completion or by staff entry, finds the stream taken and is refused.
 */
export function attendanceRecordId(activityId: string, volunteerId: string): string {
  return 'att-' + hash('sha256', `${activityId}\u0000${volunteerId}`, 'hex').slice(0, 32);
}

/**
 * Turns attendance into service minutes: the time between check-in and
 * check-out, clamped to the activity's window, in whole minutes. A volunteer
 * who checked in but never out is flagged, never silently credited.
 */
export function creditAttendance(
  details: Pick<ActivityDetails, 'activityId' | 'startsAt' | 'endsAt'>,
  roster: Iterable<readonly [string, Attendance]>,
  alreadyRecorded: ReadonlySet<string> = new Set(),
): { credited: AttendanceCredit[]; notCredited: NotCredited[] } {
  const credited: AttendanceCredit[] = [];
  const notCredited: NotCredited[] = [];
  const start = Date.parse(details.startsAt);
  const end = Date.parse(details.endsAt);
  for (const [volunteerId, attendance] of roster) {
    if (alreadyRecorded.has(volunteerId)) {
      notCredited.push({ volunteerId, reason: 'already-recorded' });
      continue;
    }
    if (attendance.checkedInAt === null) {
      notCredited.push({ volunteerId, reason: 'no-show' });
      continue;
    }
    if (attendance.checkedOutAt === null) {
      notCredited.push({ volunteerId, reason: 'missed-check-out' });
      continue;
    }
    const from = Math.max(start, Date.parse(attendance.checkedInAt));
    const to = Math.min(end, Date.parse(attendance.checkedOutAt));
    const minutes = wholeMinutesBetween(new Date(from), new Date(to));
    if (minutes < 1) notCredited.push({ volunteerId, reason: 'no-time-in-window' });
    else credited.push({ volunteerId, recordId: attendanceRecordId(details.activityId, volunteerId), minutes });
  }
  return { credited, notCredited };
}
