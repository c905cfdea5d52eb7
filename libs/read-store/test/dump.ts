import type Database from 'better-sqlite3';

/** Every row of every read-model table, sorted, for comparing two read-model files. */
export function dumpReadModels(db: Database.Database): Record<string, unknown[]> {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    dump[table] = (db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[])
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return dump;
}

/** Sorted JSON lines per table, for comparing read models (across adapters too). */
export function sortedDump(tables: Record<string, Record<string, unknown>[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1)).map(([t, rows]) => [t, rows.map((r) => JSON.stringify(r)).sort()]));
}
