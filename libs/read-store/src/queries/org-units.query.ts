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

/** A unit's columns with its id and its parent's (units are stored by their integer keys, see sqlite/keys.ts). */
const UNIT_COLUMNS = `k.org_unit_id, u.kind, u.name, (SELECT pk.org_unit_id FROM unit_keys pk WHERE pk.unit_n = u.parent_n) AS parent_id, u.registered_at,
  (SELECT count(*) FROM org_units c WHERE c.parent_n = u.unit_n) AS child_count`;
const UNITS = 'org_units u JOIN unit_keys k ON k.unit_n = u.unit_n';

/** The integer key of a registered unit (undefined when the unit is unknown). */
export async function registeredUnit(db: ReadModels, orgUnitId: string): Promise<number | undefined> {
  return (await db.get<{ n: number }>('SELECT u.unit_n AS n FROM unit_keys k JOIN org_units u ON u.unit_n = k.unit_n WHERE k.org_unit_id = ?', [orgUnitId]))?.n;
}

export async function orgUnitExists(db: ReadModels, orgUnitId: string): Promise<boolean> {
  return (await registeredUnit(db, orgUnitId)) !== undefined;
}

/** A unit's name (null when unknown). */
export async function orgUnitName(db: ReadModels, orgUnitId: string): Promise<string | null> {
  return (await db.get<{ name: string }>(`SELECT u.name FROM ${UNITS} WHERE k.org_unit_id = ?`, [orgUnitId]))?.name ?? null;
}

/** A unit with its path from the top and its children; null when unknown. */
export function orgUnitView(db: ReadModels, orgUnitId: string): Promise<OrgUnitView | null> {
  return db.consistent((db) => orgUnitViewOn(db, orgUnitId));
}

async function orgUnitViewOn(db: ReadModels, orgUnitId: string): Promise<OrgUnitView | null> {
  const unit = await db.get<UnitRow & { unit_n: number }>(`SELECT u.unit_n, ${UNIT_COLUMNS} FROM ${UNITS} WHERE k.org_unit_id = ?`, [orgUnitId]);
  if (!unit) return null;
  const path = (await db.all<UnitRow>(`SELECT k.org_unit_id, u.kind, u.name FROM org_unit_closure c JOIN org_units u ON u.unit_n = c.ancestor_n
    JOIN unit_keys k ON k.unit_n = u.unit_n WHERE c.descendant_n = ? AND c.depth > 0 ORDER BY c.depth DESC`, [unit.unit_n])).map(ref);
  const children = (await db.all<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM ${UNITS} WHERE u.parent_n = ? ORDER BY u.registered_position`, [unit.unit_n])).map(summary);
  const descendants = (await db.get<{ n: number }>('SELECT count(*) AS n FROM org_unit_closure WHERE ancestor_n = ? AND depth > 0', [unit.unit_n]))!.n;
  return { ...summary(unit), path, children, descendantCount: descendants, registeredAt: unit.registered_at };
}

/** Every unit, parents before children (the order they were registered). */
export async function allOrgUnits(db: ReadModels): Promise<OrgUnitSummary[]> {
  return (await db.all<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM ${UNITS} ORDER BY u.registered_position`)).map(summary);
}
