import { ORG_UNIT_KIND_NAMES, type OrgUnitKind } from '@haitang/domain';
import type { ReadModels } from '../read-models.port';

export interface OrgUnitRef {
  orgUnitId: string;
  kind: string;
  kindName: string;
  name: string;
}

export interface OrgUnitSummary extends OrgUnitRef {
  parentId: string | null;
  /** How many units sit directly under it. */
  childCount: number;
}

export interface OrgUnitView extends OrgUnitSummary {
  /** Its ancestors, from the district down to its parent. */
  path: OrgUnitRef[];
  /** The units directly under it, in the order they were registered. */
  children: OrgUnitSummary[];
  /** How many units sit under it at any depth (itself not counted). */
  descendantCount: number;
  registeredAt: string;
}

interface UnitRow { org_unit_id: string; kind: string; name: string; parent_id: string | null; registered_at: string; child_count: number }

const kindName = (kind: string) => ORG_UNIT_KIND_NAMES[kind as OrgUnitKind] ?? kind;
const ref = (r: Pick<UnitRow, 'org_unit_id' | 'kind' | 'name'>): OrgUnitRef => ({ orgUnitId: r.org_unit_id, kind: r.kind, kindName: kindName(r.kind), name: r.name });
const summary = (r: UnitRow): OrgUnitSummary => ({ ...ref(r), parentId: r.parent_id, childCount: r.child_count });

const UNIT_COLUMNS = `u.org_unit_id, u.kind, u.name, u.parent_id, u.registered_at,
  (SELECT count(*) FROM org_units k WHERE k.parent_id = u.org_unit_id) AS child_count`;

export async function orgUnitExists(db: ReadModels, orgUnitId: string): Promise<boolean> {
  return (await db.get('SELECT 1 AS one FROM org_units WHERE org_unit_id = ?', [orgUnitId])) !== undefined;
}

/** A unit's name (null when unknown). */
export async function orgUnitName(db: ReadModels, orgUnitId: string): Promise<string | null> {
  return (await db.get<{ name: string }>('SELECT name FROM org_units WHERE org_unit_id = ?', [orgUnitId]))?.name ?? null;
}

/** A unit with its path from the top and its children; null when unknown. */
export function orgUnitView(db: ReadModels, orgUnitId: string): Promise<OrgUnitView | null> {
  return db.consistent((db) => orgUnitViewOn(db, orgUnitId));
}

async function orgUnitViewOn(db: ReadModels, orgUnitId: string): Promise<OrgUnitView | null> {
  const unit = await db.get<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM org_units u WHERE u.org_unit_id = ?`, [orgUnitId]);
  if (!unit) return null;
  const path = (await db.all<UnitRow>(`SELECT u.org_unit_id, u.kind, u.name FROM org_unit_closure c JOIN org_units u ON u.org_unit_id = c.ancestor_id
    WHERE c.descendant_id = ? AND c.depth > 0 ORDER BY c.depth DESC`, [orgUnitId])).map(ref);
  const children = (await db.all<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM org_units u WHERE u.parent_id = ? ORDER BY u.registered_position`, [orgUnitId])).map(summary);
  const descendants = (await db.get<{ n: number }>('SELECT count(*) AS n FROM org_unit_closure WHERE ancestor_id = ? AND depth > 0', [orgUnitId]))!.n;
  return { ...summary(unit), path, children, descendantCount: descendants, registeredAt: unit.registered_at };
}

/** Every unit, parents before children (the order they were registered). */
export async function allOrgUnits(db: ReadModels): Promise<OrgUnitSummary[]> {
  return (await db.all<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM org_units u ORDER BY u.registered_position`)).map(summary);
}
