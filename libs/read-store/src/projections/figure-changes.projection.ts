import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { shanghaiDate } from '@haitang/domain';
import { stmt } from '../sqlite/statements';

/**
 * Where the report figures last changed: for every unit and every month, the
 * log position of the last event that changed its subtree's approved minutes
 * or completed activities in that month. A cached report over a range stays
 * exact as long as no (unit, month) of the range changed since it was made,
 * so a report of last year is answered from the cache even while today's
 * records pour in. Changes that touch every report (a new unit, a volunteer's
 * groups) are kept under the unit '*'. Changes that only dashboards show
 * (activities planned, moved or cancelled: the overdue list) are kept under
 * the month 'any' of each unit above, and new volunteers under the month they
 * registered in.
 *
 * Runs after the records, org-unit and activities projections in the same
 * transaction, so it reads the rows they just wrote. Idempotent: positions only grow.
 */
export const figureChangesProjection: SqliteProjection = {
  name: 'figure-changes',
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS figure_changes (
      unit_id TEXT NOT NULL, month TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (unit_id, month)
    ) WITHOUT ROWID;
  `,
  handles: new Set([
    'ServiceRecorded.v1', 'ServiceApproved.v1', 'ServiceRejected.v1', 'ServiceAmended.v1', 'ServiceRevoked.v1',
    'ActivityCompleted.v1', 'OrgUnitRegistered.v1', 'OrgUnitRenamed.v1', 'VolunteerProfileUpdated.v1',
    'ActivityPlanned.v1', 'ActivityRescheduled.v1', 'ActivityCancelled.v1', 'VolunteerRegistered.v1',
  ]),
  apply(db: Database.Database, event: RecordedEvent): void {
    const bumpSubtreeOf = (unitId: string, date: string): void => void stmt(db, `INSERT INTO figure_changes (unit_id, month, position)
        SELECT ancestor_id, ?, ? FROM org_unit_closure WHERE descendant_id = ?
        ON CONFLICT (unit_id, month) DO UPDATE SET position = max(position, excluded.position)`)
        .run(date.slice(0, 7), event.position, unitId);
    const bumpEverything = (): void => void stmt(db, `INSERT INTO figure_changes VALUES ('*', '*', ?) ON CONFLICT (unit_id, month) DO UPDATE SET position = max(position, excluded.position)`)
        .run(event.position);
    const activityOf = () => stmt(db, 'SELECT org_unit_id, start_date FROM activities WHERE activity_id = ?')
      .get((event.data as { activityId: string }).activityId) as { org_unit_id: string; start_date: string } | undefined;
    switch (event.type) {
      case 'ActivityCompleted.v1': {
        const activity = activityOf();
        if (activity) {
          bumpSubtreeOf(activity.org_unit_id, activity.start_date);
          bumpSubtreeOf(activity.org_unit_id, 'any');
        }
        return;
      }
      case 'ActivityPlanned.v1':
      case 'ActivityRescheduled.v1':
      case 'ActivityCancelled.v1': {
        const activity = activityOf();
        if (activity) bumpSubtreeOf(activity.org_unit_id, 'any');
        return;
      }
      case 'VolunteerRegistered.v1': {
        const d = event.data as { homeOrgUnitId: string };
        bumpSubtreeOf(d.homeOrgUnitId, shanghaiDate(event.recordedAt));
        return;
      }
      case 'OrgUnitRegistered.v1':
      case 'OrgUnitRenamed.v1':
      case 'VolunteerProfileUpdated.v1':
        bumpEverything();
        return;
      default: {
        const record = stmt(db, 'SELECT org_unit_id, service_date, activity_id FROM service_records WHERE record_id = ?')
          .get((event.data as { recordId: string }).recordId) as { org_unit_id: string; service_date: string; activity_id: string | null } | undefined;
        if (!record) return;
        bumpSubtreeOf(record.org_unit_id, record.service_date);
        // A record for an activity may take it off the dashboards' overdue list.
        if (record.activity_id) bumpSubtreeOf(record.org_unit_id, 'any');
      }
    }
  },
};
