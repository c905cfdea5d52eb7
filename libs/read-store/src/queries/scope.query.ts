import { named, type ReadModels } from '../read-models.port';
import { streamKeysIn } from './stream-keys';

/** The owner of a stream (see the stream-owners projection); null when the stream is unknown. */
export async function streamOwner(db: ReadModels, streamId: string): Promise<{ orgUnitId: string | null; volunteerId: string | null } | null> {
  const keys = streamKeysIn(streamId);
  const row = await db.get<{ org_unit_id: string | null; volunteer_id: string | null }>(...named(`SELECT u.org_unit_id, v.volunteer_id FROM stream_owners o
    LEFT JOIN unit_keys u ON u.unit_n = o.unit_n LEFT JOIN volunteer_keys v ON v.volunteer_n = o.volunteer_n
    WHERE o.stream_key ${keys.sql} ORDER BY o.stream_key % 8 DESC LIMIT 1`, keys.params));
  return row ? { orgUnitId: row.org_unit_id, volunteerId: row.volunteer_id } : null;
}

/** True when `unit` is `ancestor` or lies anywhere under it (org-unit closure table). */
export async function isWithinOrgUnit(db: ReadModels, ancestor: string, unit: string): Promise<boolean> {
  return (await db.get(`SELECT 1 AS one FROM unit_keys a JOIN unit_keys d ON d.org_unit_id = ?
    JOIN org_unit_closure c ON c.ancestor_n = a.unit_n AND c.descendant_n = d.unit_n WHERE a.org_unit_id = ?`, [unit, ancestor])) !== undefined;
}

/** The units of a subtree (the unit itself first). */
export async function subtreeOrgUnitIds(db: ReadModels, ancestor: string): Promise<string[]> {
  return (await db.all<{ descendant_id: string }>(`SELECT d.org_unit_id AS descendant_id FROM unit_keys a JOIN org_unit_closure c ON c.ancestor_n = a.unit_n
    JOIN unit_keys d ON d.unit_n = c.descendant_n WHERE a.org_unit_id = ? ORDER BY c.depth, d.org_unit_id`, [ancestor])).map((r) => r.descendant_id);
}

/** The unit and every unit above it (the unit itself first). */
export async function ancestorOrgUnitIds(db: ReadModels, unit: string): Promise<string[]> {
  return (await db.all<{ ancestor_id: string }>(`SELECT a.org_unit_id AS ancestor_id FROM unit_keys d JOIN org_unit_closure c ON c.descendant_n = d.unit_n
    JOIN unit_keys a ON a.unit_n = c.ancestor_n WHERE d.org_unit_id = ? ORDER BY c.depth`, [unit])).map((r) => r.ancestor_id);
}

/** The volunteers whose home unit lies in a subtree. */
export async function volunteerIdsUnder(db: ReadModels, ancestor: string): Promise<string[]> {
  // A volunteer's own stream: its key is the volunteer's (sqlite/keys.ts, streamKey).
  return (await db.all<{ volunteer_id: string }>(`SELECT v.volunteer_id FROM unit_keys a JOIN org_unit_closure c ON c.ancestor_n = a.unit_n
    JOIN stream_owners o ON o.unit_n = c.descendant_n JOIN volunteer_keys v ON v.volunteer_n = o.volunteer_n
    WHERE a.org_unit_id = ? AND o.stream_key = o.volunteer_n * 8 + 2`, [ancestor])).map((r) => r.volunteer_id);
}
