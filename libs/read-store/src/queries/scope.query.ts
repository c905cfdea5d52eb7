import type Database from 'better-sqlite3';
import { stmt } from '../sqlite/statements';

/** The owner of a stream (see the stream-owners projection); null when the stream is unknown. */
export function streamOwner(db: Database.Database, streamId: string): { orgUnitId: string | null; volunteerId: string | null } | null {
  const row = stmt(db, 'SELECT org_unit_id, volunteer_id FROM stream_owners WHERE stream_id = ?').get(streamId) as
    { org_unit_id: string | null; volunteer_id: string | null } | undefined;
  return row ? { orgUnitId: row.org_unit_id, volunteerId: row.volunteer_id } : null;
}

/** True when `unit` is `ancestor` or lies anywhere under it (org-unit closure table). */
export function isWithinOrgUnit(db: Database.Database, ancestor: string, unit: string): boolean {
  return stmt(db, 'SELECT 1 FROM org_unit_closure WHERE ancestor_id = ? AND descendant_id = ?').get(ancestor, unit) !== undefined;
}

/** The units of a subtree (the unit itself first). */
export function subtreeOrgUnitIds(db: Database.Database, ancestor: string): string[] {
  return (stmt(db, 'SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = ? ORDER BY depth, descendant_id').all(ancestor) as { descendant_id: string }[])
    .map((r) => r.descendant_id);
}

/** The volunteers whose home unit lies in a subtree. */
export function volunteerIdsUnder(db: Database.Database, ancestor: string): string[] {
  return (stmt(db, `SELECT o.volunteer_id FROM org_unit_closure c JOIN stream_owners o ON o.org_unit_id = c.descendant_id
    WHERE c.ancestor_id = ? AND o.stream_id = 'volunteer-' || o.volunteer_id`).all(ancestor) as { volunteer_id: string }[]).map((r) => r.volunteer_id);
}
