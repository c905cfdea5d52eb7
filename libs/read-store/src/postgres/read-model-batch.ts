import type { ClientBase } from 'pg';

/**
 * One batch of projection work against PostgreSQL, as a unit of work: every
 * row the batch's events touch is loaded up front with one query per table
 * (`key = ANY($1)`), the events change those rows in memory, in log order,
 * with exactly the rules of the SQLite projections, and the changed rows are
 * written back with one bulk upsert per table. A batch of thousands of events
 * costs a dozen round trips instead of thousands. Runs inside the runner's
 * transaction, with the checkpoints.
 */

export type Row = Record<string, unknown>;

/** A composite key as one map key. */
const joinKey = (parts: readonly unknown[]) => parts.join('\u0000');

/**
 * What a rebuild remembers across its batches: the keys its fresh (initially
 * empty) tables hold, so that a row that cannot exist yet is not looked up, and
 * the closure rows (never changed once written).
 */
export class RebuildMemory {
  readonly keys = new Map<string, Set<string>>();
  readonly closure = new Map<string, Map<string, number>>();

  keysOf(table: string): Set<string> {
    let keys = this.keys.get(table);
    if (!keys) this.keys.set(table, (keys = new Set()));
    return keys;
  }
}

/** The rows of one table that a batch reads and writes, by primary key. */
export class TableRows<R extends Row> {
  private readonly rows = new Map<string, R | null>();
  private readonly wanted = new Map<string, readonly string[]>();
  private readonly dirty = new Set<string>();
  /** With a rebuild's memory: the keys the table holds (anything else does not exist). */
  private stored: Set<string> | null = null;

  constructor(readonly table: string, private readonly keyColumns: readonly string[], private readonly columns: readonly string[]) {}

  remember(memory: RebuildMemory): void {
    this.stored = memory.keysOf(this.table);
  }

  private keyOf(parts: readonly string[]): string {
    return parts.length === 1 ? parts[0] : joinKey(parts);
  }

  /** Asks for a row to be loaded before the events are applied. */
  want(...parts: string[]): void {
    if (parts.some((p) => typeof p !== 'string')) return;
    const key = this.keyOf(parts);
    if (this.rows.has(key)) return;
    if (this.stored && !this.stored.has(key)) this.rows.set(key, null);
    else this.wanted.set(key, parts);
  }

  async load(client: ClientBase): Promise<void> {
    if (this.wanted.size === 0) return;
    const wanted = [...this.wanted.values()];
    this.wanted.clear();
    const found = this.keyColumns.length === 1
      ? await client.query<R>(`SELECT * FROM ${this.table} WHERE ${this.keyColumns[0]} = ANY($1::text[])`, [wanted.map((w) => w[0])])
      : await client.query<R>(
        `SELECT t.* FROM ${this.table} t JOIN unnest(${this.keyColumns.map((_, i) => `$${i + 1}::text[]`).join(', ')}) AS k(${this.keyColumns.join(', ')})
          USING (${this.keyColumns.join(', ')})`,
        this.keyColumns.map((_, i) => wanted.map((w) => w[i])),
      );
    for (const parts of wanted) {
      const key = this.keyOf(parts);
      if (!this.rows.has(key)) this.rows.set(key, null);
    }
    for (const row of found.rows) this.rows.set(this.keyOf(this.keyColumns.map((c) => row[c] as string)), row);
  }

  /** The row as it stands in this batch; undefined when it does not exist. */
  get(...parts: string[]): R | undefined {
    if (parts.some((p) => typeof p !== 'string')) return undefined; // a malformed event names no row (SQL: WHERE id = NULL)
    const key = this.keyOf(parts);
    const row = this.rows.get(key);
    if (row === undefined && !this.rows.has(key)) throw new Error(`${this.table}: row ${parts.join('/')} was not loaded`);
    return row ?? undefined;
  }

  /** Inserts a row that does not exist yet. */
  insert(row: R): void {
    const key = this.keyOf(this.keyColumns.map((c) => row[c] as string));
    this.rows.set(key, row);
    this.dirty.add(key);
  }

  /** Changes columns of an existing row. */
  update(row: R, changes: Partial<R>): void {
    Object.assign(row, changes);
    this.dirty.add(this.keyOf(this.keyColumns.map((c) => row[c] as string)));
  }

  /** Writes every changed row: INSERT … ON CONFLICT (key) DO UPDATE, from one JSON parameter. */
  async flush(client: ClientBase): Promise<number> {
    if (this.dirty.size === 0) return 0;
    const rows = [...this.dirty].map((key) => this.rows.get(key)!);
    if (this.stored) for (const key of this.dirty) this.stored.add(key);
    this.dirty.clear();
    const others = this.columns.filter((c) => !this.keyColumns.includes(c));
    await client.query(
      `INSERT INTO ${this.table} SELECT * FROM json_populate_recordset(NULL::${this.table}, $1::json)
       ON CONFLICT (${this.keyColumns.join(', ')}) DO UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  }
}

/** Rows that are only ever inserted, once (INSERT … ON CONFLICT DO NOTHING). */
export class InsertOnce<R extends Row> {
  private readonly rows = new Map<string, R>();

  constructor(readonly table: string, private readonly keyColumns: readonly string[]) {}

  insert(row: R): void {
    const key = joinKey(this.keyColumns.map((c) => row[c]));
    if (!this.rows.has(key)) this.rows.set(key, row);
  }

  async flush(client: ClientBase): Promise<number> {
    if (this.rows.size === 0) return 0;
    const rows = [...this.rows.values()];
    this.rows.clear();
    await client.query(
      `INSERT INTO ${this.table} SELECT * FROM json_populate_recordset(NULL::${this.table}, $1::json) ON CONFLICT (${this.keyColumns.join(', ')}) DO NOTHING`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  }
}

/**
 * The org-unit closure table, by descendant: each unit's ancestors (itself
 * included) with their depth, as loaded plus what the batch added.
 */
export class ClosureRows {
  private ancestors = new Map<string, Map<string, number>>();
  private readonly loaded = new Set<string>();
  private remembered = false;
  private readonly wanted = new Set<string>();
  private readonly added = new InsertOnce<{ ancestor_id: string; descendant_id: string; depth: number }>('org_unit_closure', ['ancestor_id', 'descendant_id']);

  /** A rebuild keeps every closure row in memory (its tables start empty, and closure rows never change). */
  remember(memory: RebuildMemory): void {
    this.ancestors = memory.closure;
    this.remembered = true;
  }

  want(unitId: unknown): void {
    if (typeof unitId !== 'string' || this.loaded.has(unitId)) return;
    if (this.remembered) this.loaded.add(unitId);
    else this.wanted.add(unitId);
  }

  async load(client: ClientBase): Promise<void> {
    if (this.wanted.size === 0) return;
    const units = [...this.wanted];
    this.wanted.clear();
    const found = await client.query<{ ancestor_id: string; descendant_id: string; depth: number }>(
      'SELECT ancestor_id, descendant_id, depth FROM org_unit_closure WHERE descendant_id = ANY($1::text[])', [units],
    );
    for (const unit of units) this.loaded.add(unit);
    for (const row of found.rows) {
      const map = this.mapOf(row.descendant_id);
      if (!map.has(row.ancestor_id)) map.set(row.ancestor_id, row.depth);
    }
  }

  private mapOf(unitId: string): Map<string, number> {
    let map = this.ancestors.get(unitId);
    if (!map) this.ancestors.set(unitId, (map = new Map()));
    return map;
  }

  /** The unit's ancestors (itself at depth 0), as the table holds them in this batch. */
  ancestorsOf(unitId: string): ReadonlyMap<string, number> {
    if (!this.loaded.has(unitId)) throw new Error(`org_unit_closure: unit ${unitId} was not loaded`);
    return this.ancestors.get(unitId) ?? new Map();
  }

  /** INSERT OR IGNORE of one (ancestor, descendant, depth) row. */
  insertIgnore(ancestorId: string, descendantId: string, depth: number): void {
    const map = this.mapOf(descendantId);
    if (map.has(ancestorId)) return;
    map.set(ancestorId, depth);
    this.added.insert({ ancestor_id: ancestorId, descendant_id: descendantId, depth });
  }

  flush(client: ClientBase): Promise<number> {
    return this.added.flush(client);
  }
}

/** figure_changes: per (unit, month) the highest position of the batch, merged with greatest(). */
export class FigureChangeRows {
  private readonly positions = new Map<string, { unit_id: string; month: string; position: number }>();

  bump(unitId: string, month: string, position: number): void {
    const key = joinKey([unitId, month]);
    const row = this.positions.get(key);
    if (!row) this.positions.set(key, { unit_id: unitId, month, position });
    else if (position > row.position) row.position = position;
  }

  async flush(client: ClientBase): Promise<number> {
    if (this.positions.size === 0) return 0;
    const rows = [...this.positions.values()];
    this.positions.clear();
    await client.query(
      `INSERT INTO figure_changes SELECT * FROM json_populate_recordset(NULL::figure_changes, $1::json)
       ON CONFLICT (unit_id, month) DO UPDATE SET position = greatest(figure_changes.position, EXCLUDED.position)`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  }
}

/** Every read-model table a batch can touch. */
export class ReadModelBatch {
  readonly volunteers = new TableRows<Row>('volunteers', ['volunteer_id'],
    ['volunteer_id', 'display_name', 'home_org_unit_id', 'party_member', 'senior', 'occupation', 'personal_data_erased', 'registered_at']);
  readonly records = new TableRows<Row>('service_records', ['record_id'],
    ['record_id', 'volunteer_id', 'org_unit_id', 'category', 'service_date', 'minutes', 'status', 'source', 'activity_id', 'activity_title', 'location', 'description', 'recorded_position']);
  readonly history = new InsertOnce<Row>('record_history', ['position']);
  readonly orgUnits = new TableRows<Row>('org_units', ['org_unit_id'],
    ['org_unit_id', 'kind', 'name', 'parent_id', 'depth', 'registered_at', 'registered_position', 'name_position']);
  readonly closure = new ClosureRows();
  readonly activities = new TableRows<Row>('activities', ['activity_id'], [
    'activity_id', 'org_unit_id', 'title', 'category', 'location', 'starts_at', 'ends_at', 'start_date', 'end_date', 'capacity', 'description',
    'person_in_charge', 'status', 'cancel_reason', 'cancelled_at', 'completed_at', 'beneficiaries', 'planned_at', 'planned_position', 'window_position']);
  readonly roster = new TableRows<Row>('activity_roster', ['activity_id', 'volunteer_id'], [
    'activity_id', 'volunteer_id', 'enrolled', 'walk_in', 'enrolled_at', 'enrolled_position', 'withdrawn_at', 'withdrawal_reason',
    'checked_in_at', 'checked_out_at', 'outcome', 'credited_minutes', 'last_position']);
  readonly figures = new FigureChangeRows();
  readonly streamOwners = new TableRows<Row>('stream_owners', ['stream_id'], ['stream_id', 'org_unit_id', 'volunteer_id']);
  readonly audit = new InsertOnce<Row>('audit_log', ['position']);

  constructor(readonly client: ClientBase, memory?: RebuildMemory) {
    if (memory) {
      for (const table of [this.volunteers, this.records, this.orgUnits, this.activities, this.roster, this.streamOwners]) table.remember(memory);
      this.closure.remember(memory);
    }
  }

  /** Loads every row asked for so far. */
  async load(): Promise<void> {
    for (const table of [this.volunteers, this.records, this.orgUnits, this.activities, this.roster, this.closure, this.streamOwners]) await table.load(this.client);
  }

  /** Writes everything the batch changed; returns the number of rows written. */
  async flush(): Promise<number> {
    let rows = 0;
    for (const table of [this.volunteers, this.records, this.history, this.orgUnits, this.closure, this.activities, this.roster, this.figures, this.streamOwners, this.audit]) {
      rows += await table.flush(this.client);
    }
    return rows;
  }
}
