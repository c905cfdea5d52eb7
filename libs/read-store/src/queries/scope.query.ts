import type { ReadModels } from '../read-models.port';

/** The owner of a stream (see the stream-owners projection); null when the stream is unknown. */
export async function streamOwner(db: ReadModels, streamId: string): Promise<{ orgUnitId: string | null; volunteerId: string | null } | null> {
  const row = await db.get<{ org_unit_id: string | null; volunteer_id: string | null }>('SELECT org_unit_id, volunteer_id FROM stream_owners WHERE stream_id = ?', [streamId]);
  return row ? { orgUnitId: row.org_unit_id, volunteerId: row.volunteer_id } : null;
}

/** True when `unit` is `ancestor` or lies anywhere under it (org-unit closure table). */
export async function isWithinOrgUnit(db: ReadModels, ancestor: string, unit: string): Promise<boolean> {
  return (await db.get('SELECT 1 AS one FROM org_unit_closure WHERE ancestor_id = ? AND descendant_id = ?', [ancestor, unit])) !== undefined;
}

/** The units of a subtree (the unit itself first). */
export async function subtreeOrgUnitIds(db: ReadModels, ancestor: string): Promise<string[]> {
  return (await db.all<{ descendant_id: string }>('SELECT descendant_id FROM org_unit_closure WHERE ancestor_id = ? ORDER BY depth, descendant_id', [ancestor]))
    .map((r) => r.descendant_id);
}

/** The unit and every unit above it (the unit itself first). */
export async function ancestorOrgUnitIds(db: ReadModels, unit: string): Promise<string[]> {
  return (await db.all<{ ancestor_id: string }>('SELECT ancestor_id FROM org_unit_closure WHERE descendant_id = ? ORDER BY depth', [unit]))
    .map((r) => r.ancestor_id);
}

/** The volunteers whose home unit lies in a subtree. */
export async function volunteerIdsUnder(db: ReadModels, ancestor: string): Promise<string[]> {
  return (await db.all<{ volunteer_id: string }>(`SELECT o.volunteer_id FROM org_unit_closure c JOIN stream_owners o ON o.org_unit_id = c.descendant_id
    WHERE c.ancestor_id = ? AND o.stream_id = 'volunteer-' || o.volunteer_id`, [ancestor])).map((r) => r.volunteer_id);
}
