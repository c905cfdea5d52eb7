import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@haitang/event-store';
import type { OrgUnitRegistered, OrgUnitRenamed } from '@haitang/domain';
import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { findUnitKey, KEYS_SCHEMA, unitKey } from '../sqlite/keys';
import { stmt } from '../sqlite/statements';

type Data<E extends { data: unknown }> = E['data'];

/**
 * The org-unit hierarchy (区 > 街道/镇 > 社区) with its closure table: one row
 * (ancestor, descendant, depth) for every unit and each of its ancestors,
 * itself included at depth 0. Units are stored by their integer key
 * (`unit_keys` holds their ids). "Everything under X" is then one indexed join
 * on `org_unit_closure.ancestor_n = X`, at any depth.
 *
 * Units are registered parent-first (the decider refuses an unknown parent),
 * so when a unit arrives its parent's ancestors are already known.
 */
export const orgUnitsProjection: SqliteProjection = {
  name: 'org-units',
  version: 2,
  schema: `${KEYS_SCHEMA}
    CREATE TABLE IF NOT EXISTS org_units (
      unit_n INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, parent_n INTEGER,
      depth INTEGER NOT NULL, registered_at TEXT NOT NULL, registered_position INTEGER NOT NULL,
      name_position INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS org_unit_closure (
      ancestor_n INTEGER NOT NULL, descendant_n INTEGER NOT NULL, depth INTEGER NOT NULL,
      PRIMARY KEY (ancestor_n, descendant_n)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS org_unit_closure_by_descendant ON org_unit_closure (descendant_n, depth);
  `,
  indexes: `
    CREATE INDEX IF NOT EXISTS org_units_by_parent ON org_units (parent_n, registered_position);
  `,
  handles: new Set(['OrgUnitRegistered.v1', 'OrgUnitRenamed.v1']),
  apply(db: Database.Database, event: RecordedEvent): void {
    switch (event.type) {
      case 'OrgUnitRegistered.v1': {
        const d = event.data as Data<OrgUnitRegistered>;
        const parent = d.parentId === null ? null : unitKey(db, d.parentId);
        const unit = unitKey(db, d.orgUnitId);
        stmt(db, `INSERT OR IGNORE INTO org_units
          SELECT ?, ?, ?, ?, coalesce((SELECT depth + 1 FROM org_units WHERE unit_n = ?), 0), ?, ?, ?`)
          .run(unit, d.kind, d.name, parent, parent, event.recordedAt, event.position, event.position);
        stmt(db, 'INSERT OR IGNORE INTO org_unit_closure VALUES (?, ?, 0)').run(unit, unit);
        if (parent !== null) {
          stmt(db, `INSERT OR IGNORE INTO org_unit_closure
            SELECT ancestor_n, ?, depth + 1 FROM org_unit_closure WHERE descendant_n = ?`).run(unit, parent);
        }
        return;
      }
      case 'OrgUnitRenamed.v1': {
        const d = event.data as Data<OrgUnitRenamed>;
        const unit = findUnitKey(db, d.orgUnitId);
        if (unit === undefined) return;
        // The latest rename wins even if an older one is delivered again afterwards.
        stmt(db, 'UPDATE org_units SET name = ?, name_position = ? WHERE unit_n = ? AND name_position < ?')
          .run(d.name, event.position, unit, event.position);
        return;
      }
      default:
        return;
    }
  },
};
