/** Types of postgres-cluster.js (plain CommonJS, shared with bench/). */
export interface PostgresBinaries { binDir: string; version: number }
export function findPostgresBinaries(): PostgresBinaries | { missing: string };

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly dir: string;
  readonly binDir: string;
  readonly version: number;
  /** How long initdb + start took. */
  readonly startedInMs: number;
  url(database?: string): string;
  stop(): void;
}
export function startCluster(options?: { watchPid?: number; alsoRemove?: string }): Promise<PostgresCluster>;

export interface SharedCluster {
  readonly port: number;
  url(database?: string): string;
}
export function sharedCluster(): Promise<SharedCluster>;
export function stopSharedCluster(stateDir: string): void;
export function createDatabase(cluster: Pick<SharedCluster, 'url'>, prefix?: string): Promise<string>;
export const SYSTEM_USER: string;
