import type { ClientBase } from 'pg';
import { copyRows, type CopyStream } from '@haitang/event-store';

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
 * What a rebuild remembers across its batches: the whole state of its fresh
 * (initially empty) tables, kept in memory for the length of the replay. No
 * row is ever looked up in the database (what is not here does not exist),
 * and none is written per batch: each table is written once, at the end, with
 * one COPY of its final rows (`writeAll`), so a row that many events change is
 * written once. The audit index, only ever inserted and never read back, goes
 * straight into a COPY that stays open for the whole replay (`audit`), so the
 * server takes it in while the replay goes on and memory stays bounded.
 */
export class RebuildMemory {
  /** Every closure row: by descendant, its ancestors with their depth and id. */
  readonly closure = new Map<number, Map<number, Ancestor>>();
  /** The last number given in each table's serial column. */
  readonly serials = new Map<string, { last: number }>();
  /** Every row of each table, by key (as TableRows holds them), with the table's columns. */
  readonly tables = new Map<string, { columns: readonly string[]; rows: Map<RowKey, Row | null> }>();
  /** figure_changes, by unit then month. */
  readonly figures: FigureRows = new Map();

  constructor(readonly audit: CopyStream) {}

  serialOf(table: string): { last: number } {
    let serial = this.serials.get(table);
    if (!serial) this.serials.set(table, (serial = { last: 0 }));
    return serial;
  }

  rowsOf(table: string, columns: readonly string[]): Map<RowKey, Row | null> {
    let entry = this.tables.get(table);
    if (!entry) this.tables.set(table, (entry = { columns, rows: new Map() }));
    return entry.rows;
  }

  /**
   * Writes every remembered table, the closure rows and figure_changes with
   * one COPY each, one after the other on `client`, the largest first. Each
   * is formatted and handed to the connection before the next is formatted, so
   * the server takes in one while the next is being written. Returns, by
   * table, when its rows are in (to build its indexes meanwhile).
   */
  async writeAll(client: ClientBase): Promise<Map<string, Promise<number>>> {
    const closure = this.closure;
    const writes: { table: string; columns: readonly string[]; size: number; rows: Iterable<Row> }[] = [
      ...[...this.tables].map(([table, { columns, rows }]) => ({ table, columns, size: rows.size, rows: (function* () {
        for (const row of rows.values()) if (row) yield row;
      })() })),
      { table: 'org_unit_closure', columns: ['ancestor_n', 'descendant_n', 'depth'], size: closure.size, rows: (function* () {
        for (const [descendant, ancestors] of closure) for (const [ancestor, { depth }] of ancestors) yield { ancestor_n: ancestor, descendant_n: descendant, depth };
      })() },
      { table: 'figure_changes', columns: ['unit_id', 'month', 'position'], size: this.figures.size, rows: (function* (figures) {
        for (const months of figures.values()) yield* months.values();
      })(this.figures) },
    ];
    const done = new Map<string, Promise<number>>();
    let previous: Promise<number> | undefined;
    for (const { table, columns, rows } of writes.sort((a, b) => b.size - a.size)) {
      const written = copyRows(client, table, columns, rows, previous);
      written.catch(() => undefined); // awaited by the caller
      done.set(table, (previous = written));
      await new Promise(setImmediate); // lets the connection send what is ready
    }
    return done;
  }
}

type KeyPart = string | number;
/** figure_changes rows by unit id, then month. */
type FigureRows = Map<string, Map<string, { unit_id: string; month: string; position: number }>>;
/** How TableRows keeps a row: see TableRows.keyOf. */
type RowKey = string | number;
/** 2^26: a pair of integer keys below it is one safe integer. */
const PAIR = 2 ** 26;
const isKeyPart = (p: unknown): p is KeyPart => typeof p === 'string' || typeof p === 'number';

export interface TableOptions {
  /** PostgreSQL type of each key column (default text). */
  readonly keyTypes?: readonly ('text' | 'int')[];
  /**
   * A column numbered on insert, as SQLite numbers a rowid: the largest number
   * in the table plus one (rows are never deleted, so numbers follow the log).
   */
  readonly serial?: string;
  /**
   * Every row that can exist is asked for before the events are applied: a row
   * not loaded does not exist (rather than being an error).
   */
  readonly unloadedIsAbsent?: boolean;
}

/** The rows of one table that a batch reads and writes, by its key (the primary key, or a unique one). */
export class TableRows<R extends Row> {
  private rows = new Map<RowKey, R | null>();
  private readonly wanted = new Map<RowKey, readonly KeyPart[]>();
  private readonly dirty = new Set<RowKey>();
  /** Integer key columns only: see keyOf. */
  private readonly integerKey: boolean;
  /** With a rebuild's memory: `rows` is every row of the table, kept there, written by RebuildMemory.writeAll. */
  private remembered = false;
  /** The serial column's last number, once known in this batch (or kept by a rebuild's memory). */
  private serial: { last: number } | null = null;

  constructor(
    readonly table: string, private readonly keyColumns: readonly string[], private readonly columns: readonly string[],
    private readonly options: TableOptions = {},
  ) {
    this.integerKey = keyColumns.every((_, i) => options.keyTypes?.[i] === 'int');
  }

  remember(memory: RebuildMemory): void {
    this.rows = memory.rowsOf(this.table, this.columns) as Map<RowKey, R | null>;
    this.remembered = true;
    if (this.options.serial) this.serial = memory.serialOf(this.table);
  }

  /**
   * A row's key in `rows`: for a one-column integer key the number itself (no string to make and hash at
   * each lookup: most lookups of a replay are by such keys), else text.
   */
  private keyOf(parts: readonly KeyPart[]): RowKey {
    if (parts.length === 1) return this.integerKey ? Number(parts[0]) : String(parts[0]);
    // Two integer keys that both fit in 26 bits as one number (the roster's (activity, volunteer)); else text.
    const [a, b] = parts;
    if (parts.length === 2 && this.integerKey && typeof a === 'number' && typeof b === 'number' && a >= 0 && b >= 0 && a < PAIR && b < PAIR && Number.isInteger(a) && Number.isInteger(b)) {
      return a * PAIR + b;
    }
    return joinKey(parts);
  }

  /** The row of a one-column key (`get` without the rest of its arguments' handling): for KeyRows. */
  one(part: unknown): R | undefined {
    if (!isKeyPart(part)) return undefined;
    const row = this.rows.get(this.integerKey ? Number(part) : String(part));
    if (row === undefined && !this.remembered) return this.get(part);
    return row ?? undefined;
  }

  /** The key of a row, from its key columns. */
  private keyOfRow(row: Row): RowKey {
    return this.keyColumns.length === 1 ? this.keyOf([row[this.keyColumns[0]] as KeyPart]) : this.keyOf(this.keyColumns.map((c) => row[c] as KeyPart));
  }

  /** Asks for a row to be loaded before the events are applied. */
  want(...parts: KeyPart[]): void {
    if (this.remembered || !parts.every(isKeyPart)) return;
    const key = this.keyOf(parts);
    if (this.rows.has(key)) return;
    this.wanted.set(key, parts);
  }

  async load(client: ClientBase): Promise<void> {
    // Nothing asked for, nothing can be inserted (a row is always asked for first): no need for the numbers either.
    if (this.wanted.size === 0) return;
    if (this.options.serial && !this.serial) {
      const last = (await client.query<{ n: number | null }>(`SELECT max(${this.options.serial}) AS n FROM ${this.table}`)).rows[0].n;
      this.serial = { last: Number(last ?? 0) };
    }
    const wanted = [...this.wanted.values()];
    this.wanted.clear();
    const types = this.keyColumns.map((_, i) => this.options.keyTypes?.[i] ?? 'text');
    const found = this.keyColumns.length === 1
      ? await client.query<R>(`SELECT * FROM ${this.table} WHERE ${this.keyColumns[0]} = ANY($1::${types[0]}[])`, [wanted.map((w) => w[0])])
      : await client.query<R>(
        `SELECT t.* FROM ${this.table} t JOIN unnest(${this.keyColumns.map((_, i) => `$${i + 1}::${types[i]}[]`).join(', ')}) AS k(${this.keyColumns.join(', ')})
          USING (${this.keyColumns.join(', ')})`,
        this.keyColumns.map((_, i) => wanted.map((w) => w[i])),
      );
    for (const parts of wanted) {
      const key = this.keyOf(parts);
      if (!this.rows.has(key)) this.rows.set(key, null);
    }
    for (const row of found.rows) this.rows.set(this.keyOfRow(row), row);
  }

  /** The row as it stands in this batch; undefined when it does not exist. */
  get(...parts: KeyPart[]): R | undefined {
    for (const part of parts) if (!isKeyPart(part)) return undefined; // a malformed event names no row (SQL: WHERE id = NULL)
    const key = this.keyOf(parts);
    const row = this.rows.get(key);
    if (row === undefined && !this.remembered && !this.rows.has(key) && !this.options.unloadedIsAbsent) throw new Error(`${this.table}: row ${parts.join('/')} was not loaded`);
    return row ?? undefined;
  }

  /** Inserts a row that does not exist yet (numbering its serial column). */
  insert(row: R): R {
    if (this.options.serial) {
      if (!this.serial) throw new Error(`${this.table}: its numbers were not loaded`);
      (row as Row)[this.options.serial] = ++this.serial.last;
    }
    const key = this.keyOfRow(row);
    this.rows.set(key, row);
    if (!this.remembered) this.dirty.add(key);
    return row;
  }

  /** Changes columns of an existing row. */
  update(row: R, changes: Partial<R>): void {
    Object.assign(row, changes);
    if (!this.remembered) this.dirty.add(this.keyOfRow(row));
  }

  /** Writes every changed row: INSERT … ON CONFLICT (key) DO UPDATE, from one JSON parameter. */
  async flush(client: ClientBase): Promise<number> {
    if (this.dirty.size === 0) return 0; // always so with a rebuild's memory: written once, at the end of the replay
    const rows = [...this.dirty].map((key) => this.rows.get(key)!);
    this.dirty.clear();
    const others = this.columns.filter((c) => !this.keyColumns.includes(c));
    await client.query(
      `INSERT INTO ${this.table} SELECT * FROM json_populate_recordset(NULL::${this.table}, $1::json)
       ON CONFLICT (${this.keyColumns.join(', ')}) DO ${others.length === 0 ? 'NOTHING' : `UPDATE SET ${others.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`}`,
      [JSON.stringify(rows)],
    );
    return rows.length;
  }
}

/**
 * The integer keys of units or volunteers (see sqlite/keys.ts): id -> number,
 * a new number for an id the log mentions for the first time, in log order.
 */
export class KeyRows {
  readonly rows: TableRows<Row>;

  constructor(readonly table: string, private readonly numberColumn: string, private readonly idColumn: string) {
    this.rows = new TableRows<Row>(table, [idColumn], [numberColumn, idColumn], { serial: numberColumn });
  }

  want(id: unknown): void {
    if (typeof id === 'string') this.rows.want(id);
  }

  /** The key of an id, if it has one. */
  find(id: unknown): number | undefined {
    return typeof id === 'string' ? (this.rows.one(id)?.[this.numberColumn] as number | undefined) : undefined;
  }

  /** The key of an id, given now if the id is new. */
  key(id: string): number {
    return this.find(id) ?? (this.rows.insert({ [this.numberColumn]: null, [this.idColumn]: id })[this.numberColumn] as number);
  }
}

/** Rows that are only ever inserted, once (INSERT … ON CONFLICT DO NOTHING). */
export class InsertOnce<R extends Row> {
  private readonly rows = new Map<string, R>();
  /** In a rebuild: the COPY every row goes into at once (an empty table, and every row new). */
  private copy: CopyStream | null = null;

  constructor(readonly table: string, private readonly keyColumns: readonly string[]) {}

  /** A rebuild's rows go into `copy` as they come (its keys are log positions, each met once: nothing to merge). */
  streamInto(copy: CopyStream): void {
    this.copy = copy;
  }

  insert(row: R): void {
    if (this.copy) {
      this.copy.writeRow(row);
      return;
    }
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

/** An ancestor in the closure table: its depth above the unit, and its id (figure_changes is kept by unit id). */
export interface Ancestor {
  readonly depth: number;
  readonly id: string;
}

/**
 * The org-unit closure table (by integer keys), by descendant: each unit's
 * ancestors (itself included) with their depth and id, as loaded plus what
 * the batch added.
 */
export class ClosureRows {
  private ancestors = new Map<number, Map<number, Ancestor>>();
  private readonly loaded = new Set<number>();
  private remembered = false;
  private readonly wanted = new Set<number>();
  private readonly added = new InsertOnce<{ ancestor_n: number; descendant_n: number; depth: number }>('org_unit_closure', ['ancestor_n', 'descendant_n']);

  /** A rebuild keeps every closure row in memory (its tables start empty, and closure rows never change); written by RebuildMemory.writeAll. */
  remember(memory: RebuildMemory): void {
    this.ancestors = memory.closure;
    this.remembered = true;
  }

  want(unit: unknown): void {
    if (typeof unit !== 'number' || this.loaded.has(unit)) return;
    if (this.remembered) this.loaded.add(unit);
    else this.wanted.add(unit);
  }

  async load(client: ClientBase): Promise<void> {
    if (this.wanted.size === 0) return;
    const units = [...this.wanted];
    this.wanted.clear();
    const found = await client.query<{ ancestor_n: number; descendant_n: number; depth: number; ancestor_id: string }>(
      `SELECT c.ancestor_n, c.descendant_n, c.depth, k.org_unit_id AS ancestor_id FROM org_unit_closure c JOIN unit_keys k ON k.unit_n = c.ancestor_n
        WHERE c.descendant_n = ANY($1::int[])`, [units],
    );
    for (const unit of units) this.loaded.add(unit);
    for (const row of found.rows) {
      const map = this.mapOf(row.descendant_n);
      if (!map.has(row.ancestor_n)) map.set(row.ancestor_n, { depth: row.depth, id: row.ancestor_id });
    }
  }

  private mapOf(unit: number): Map<number, Ancestor> {
    let map = this.ancestors.get(unit);
    if (!map) this.ancestors.set(unit, (map = new Map()));
    return map;
  }

  /**
   * The unit's ancestors (itself at depth 0), as the table holds them in this
   * batch; none for a unit without a key. A unit not asked for got its key in
   * this batch, so the table held nothing for it before.
   */
  ancestorsOf(unit: number | undefined): ReadonlyMap<number, Ancestor> {
    return (unit === undefined ? undefined : this.ancestors.get(unit)) ?? new Map();
  }

  /** INSERT OR IGNORE of one (ancestor, descendant, depth) row. */
  insertIgnore(ancestor: number, ancestorId: string, descendant: number, depth: number): void {
    const map = this.mapOf(descendant);
    if (map.has(ancestor)) return;
    map.set(ancestor, { depth, id: ancestorId });
    if (!this.remembered) this.added.insert({ ancestor_n: ancestor, descendant_n: descendant, depth });
  }

  flush(client: ClientBase): Promise<number> {
    return this.added.flush(client);
  }
}

/** figure_changes: per (unit, month) the highest position of the batch, merged with greatest(). */
export class FigureChangeRows {
  /** By unit, then month: a unit id is most often the very string the closure rows hold, so found at once. */
  private positions: FigureRows = new Map();
  private remembered = false;

  /** A rebuild keeps them all and writes them once (RebuildMemory.writeAll). */
  remember(memory: RebuildMemory): void {
    this.positions = memory.figures;
    this.remembered = true;
  }

  bump(unitId: string, month: string, position: number): void {
    let months = this.positions.get(unitId);
    if (!months) this.positions.set(unitId, (months = new Map()));
    const row = months.get(month);
    if (!row) months.set(month, { unit_id: unitId, month, position });
    else if (position > row.position) row.position = position;
  }

  async flush(client: ClientBase): Promise<number> {
    if (this.remembered || this.positions.size === 0) return 0;
    const rows = [...this.positions.values()].flatMap((months) => [...months.values()]);
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
  readonly unitKeys = new KeyRows('unit_keys', 'unit_n', 'org_unit_id');
  readonly volunteerKeys = new KeyRows('volunteer_keys', 'volunteer_n', 'volunteer_id');
  readonly volunteers = new TableRows<Row>('volunteers', ['volunteer_n'],
    ['volunteer_n', 'display_name', 'home_unit_n', 'party_member', 'senior', 'occupation', 'personal_data_erased', 'registered_at'], { keyTypes: ['int'], unloadedIsAbsent: true });
  readonly records = new TableRows<Row>('service_records', ['record_id'],
    ['record_n', 'record_id', 'volunteer_n', 'unit_n', 'category', 'service_date', 'minutes', 'status', 'source', 'activity_id', 'recorded_position'],
    { serial: 'record_n' });
  readonly orgUnits = new TableRows<Row>('org_units', ['unit_n'],
    ['unit_n', 'kind', 'name', 'parent_n', 'depth', 'registered_at', 'registered_position', 'name_position'], { keyTypes: ['int'], unloadedIsAbsent: true });
  readonly closure = new ClosureRows();
  readonly activities = new TableRows<Row>('activities', ['activity_id'], [
    'activity_n', 'activity_id', 'unit_n', 'title', 'category', 'location', 'starts_at', 'ends_at', 'start_date', 'end_date', 'capacity', 'description',
    'person_in_charge', 'status', 'cancel_reason', 'cancelled_at', 'completed_at', 'beneficiaries', 'planned_at', 'planned_position', 'window_position'],
  { serial: 'activity_n' });
  readonly roster = new TableRows<Row>('activity_roster', ['activity_n', 'volunteer_n'], [
    'activity_n', 'volunteer_n', 'enrolled', 'walk_in', 'enrolled_at', 'enrolled_position', 'withdrawn_at', 'withdrawal_reason',
    'checked_in_at', 'checked_out_at', 'outcome', 'credited_minutes', 'last_position'], { keyTypes: ['int', 'int'], unloadedIsAbsent: true });
  readonly figures = new FigureChangeRows();
  readonly streamKeys = new KeyRows('stream_keys', 'stream_n', 'stream_id');
  readonly actorKeys = new KeyRows('actor_keys', 'actor_n', 'actor_id');
  readonly eventTypes = new KeyRows('event_types', 'type_n', 'type');
  readonly streamOwners = new TableRows<Row>('stream_owners', ['stream_key'], ['stream_key', 'unit_n', 'volunteer_n'], { keyTypes: ['int'], unloadedIsAbsent: true });
  readonly audit = new InsertOnce<Row>('audit_log', ['position']);

  constructor(readonly client: ClientBase, memory?: RebuildMemory) {
    if (memory) {
      for (const table of [this.unitKeys.rows, this.volunteerKeys.rows, this.volunteers, this.records, this.orgUnits, this.activities, this.roster,
        this.streamKeys.rows, this.actorKeys.rows, this.eventTypes.rows, this.streamOwners]) {
        table.remember(memory);
      }
      this.closure.remember(memory);
      this.figures.remember(memory);
      this.audit.streamInto(memory.audit);
    }
  }

  /** Loads every row asked for so far. */
  async load(): Promise<void> {
    for (const table of [this.unitKeys.rows, this.volunteerKeys.rows, this.volunteers, this.records, this.orgUnits, this.activities, this.roster, this.closure,
      this.streamKeys.rows, this.actorKeys.rows, this.eventTypes.rows, this.streamOwners]) {
      await table.load(this.client);
    }
  }

  /** Writes everything the batch changed; returns the number of rows written. */
  async flush(): Promise<number> {
    let rows = 0;
    for (const table of [this.unitKeys.rows, this.volunteerKeys.rows, this.volunteers, this.records, this.orgUnits, this.closure, this.activities, this.roster,
      this.figures, this.streamKeys.rows, this.actorKeys.rows, this.eventTypes.rows, this.streamOwners, this.audit]) {
      rows += await table.flush(this.client);
    }
    return rows;
  }
}
