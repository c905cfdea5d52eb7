import type Database from 'better-sqlite3';
import type { ReadModels } from '../read-models.port';
import { stmt } from './statements';

/** The read models in a SQLite file: the same prepared statements as ever, behind the async port. */
export class SqliteReadModels implements ReadModels {
  readonly dialect = 'sqlite' as const;

  constructor(readonly db: Database.Database) {}

  all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    try {
      return Promise.resolve(stmt(this.db, sql).all(...params) as T[]);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    try {
      return Promise.resolve(stmt(this.db, sql).get(...params) as T | undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** As before: the queries run one after the other on this thread's connection. */
  consistent<T>(work: (db: ReadModels) => Promise<T>): Promise<T> {
    return work(this);
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
