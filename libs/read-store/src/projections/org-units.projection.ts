import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { OrgUnitRegistered, OrgUnitRenamed } from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * The org-unit hierarchy (区 > 街道/镇 > 社区) with its closure table: one row
 * (ancestor, descendant, depth) for every unit and each of its ancestors,
 * itself included at depth 0. "Everything under X" is then one indexed join
 * on `org_unit_closure.ancestor_id = X`, at any depth.
 *
 * Units are registered parent-first (the decider refuses an unknown parent),
 * so when a unit arrives its parent's ancestors are already known.
 */
export const orgUnitsProjection: SqliteProjection = {
  name: 'org-units',
  version: 1,
  schema: `
    CREATE TABLE IF NOT EXISTS org_units (
      org_unit_id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT,
      depth INTEGER NOT NULL, registered_at TEXT NOT NULL, registered_position INTEGER NOT NULL,
      name_position INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS org_units_by_parent ON org_units (parent_id, registered_position);
    CREATE TABLE IF NOT EXISTS org_unit_closure (
      ancestor_id TEXT NOT NULL, descendant_id TEXT NOT NULL, depth INTEGER NOT NULL,
      PRIMARY KEY (ancestor_id, descendant_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS org_unit_closure_by_descendant ON org_unit_closure (descendant_id, depth);
  `,
  handles: new Set(['OrgUnitRegistered.v1', 'OrgUnitRenamed.v1']),
  apply(db: Database.Database, event: RecordedEvent): void {
    switch (event.type) {
      case 'OrgUnitRegistered.v1': {
        const d = event.data as Data<OrgUnitRegistered>;
        stmt(db, `INSERT OR IGNORE INTO org_units
          SELECT ?, ?, ?, ?, coalesce((SELECT depth + 1 FROM org_units WHERE org_unit_id = ?), 0), ?, ?, ?`)
          .run(d.orgUnitId, d.kind, d.name, d.parentId, d.parentId, event.recordedAt, event.position, event.position);
        stmt(db, 'INSERT OR IGNORE INTO org_unit_closure VALUES (?, ?, 0)').run(d.orgUnitId, d.orgUnitId);
        if (d.parentId !== null) {
          stmt(db, `INSERT OR IGNORE INTO org_unit_closure
            SELECT ancestor_id, ?, depth + 1 FROM org_unit_closure WHERE descendant_id = ?`).run(d.orgUnitId, d.parentId);
        }
        return;
      }
      case 'OrgUnitRenamed.v1': {
        const d = event.data as Data<OrgUnitRenamed>;
        // The latest rename wins even if an older one is delivered again afterwards.
        stmt(db, 'UPDATE org_units SET name = ?, name_position = ? WHERE org_unit_id = ? AND name_position < ?')
          .run(d.name, event.position, d.orgUnitId, event.position);
        return;
      }
      default:
        return;
    }
  },
};
