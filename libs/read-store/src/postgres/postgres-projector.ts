import { Client } from 'pg';
import { clientConfig, type EventStore, isConnectionFailure, type PostgresConnection, type RecordedEvent } from '@haitang/event-store';
import { PositionWaiters } from '../projection-progress';
import { movesOwnership } from '../projections/stream-owners.projection';
import type { ProjectorStatus } from '../read-models.port';
import { migrateReadStore } from './postgres-read-models';
import { ALL_PG_PROJECTIONS, type PostgresProjection } from './postgres-projections';
import { ReadModelBatch } from './read-model-batch';

/** Channel on which the active projector announces each committed position (standbys learn how far the read models are). */
export const PROJECTED_CHANNEL = 'haitang_projected';
/** Advisory-lock class of the projection locks: (PROJECTION_LOCK_CLASS, hash of the projection's name). */
export const PROJECTION_LOCK_CLASS = 0x4855;

/** FNV-1a, 32 bits, as a signed int4: the advisory-lock key of a projection. */
export function projectionLockKey(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export interface PostgresProjectorOptions extends PostgresConnection {
  /** Default: every projection. */
  readonly projections?: readonly PostgresProjection[];
  /** Events per batch (default 1000). */
  readonly batchSize?: number;
  /** After a small batch, wait this long so that events arriving meanwhile share a transaction (default 20 ms). */
  readonly pacingMs?: number;
  /** How often a standby tries to take over and reads how far the read models are (default 500 ms). */
  readonly standbyPollMs?: number;
  /** Wait after a failed batch before trying again (default 1000 ms). */
  readonly retryMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /**
   * 'apply' (default): apply the projections when no other projector does.
   * 'follow': never apply, only follow how far the read models are (an API
   * process whose read models a separate projector process keeps, see apps/projector).
   */
  readonly mode?: 'apply' | 'follow';
}

class CheckpointGap extends Error {}
const sleep = (ms: number, signal?: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(done, ms);
  function done() {
    clearTimeout(timer);
    signal?.removeEventListener('abort', done);
    resolve();
  }
  signal?.addEventListener('abort', done, { once: true });
});

/**
 * Applies the projections to PostgreSQL read models, following an event log.
 *
 * Exactly once: each batch is applied in ONE transaction together with the
 * projections' checkpoints, which it locks first (SELECT … FOR UPDATE) and
 * uses to skip what is already applied; a crash or a lost connection rolls the
 * batch back and it is applied again from the checkpoint.
 *
 * One active per projection: several processes may run a projector against
 * the same database. Each projection has a session advisory lock; a projector
 * works only while it holds the locks of all its projections, on the same
 * connection it applies batches with, so a projector whose process or
 * connection dies loses its locks with its session, and a standby (which tries
 * every `standbyPollMs`) takes over from the checkpoints. Even two active
 * projectors could not count twice (the checkpoint rows serialize them); the
 * locks only keep the others from doing the work twice.
 */
export class PostgresProjector implements ProjectorStatus {
  private readonly projections: readonly PostgresProjection[];
  private readonly names: string[];
  private readonly progress = new PositionWaiters();
  private client: Client | null = null;
  private holding = false;
  private controller = new AbortController();
  private running: Promise<void> | null = null;
  private failure: Error | null = null;
  /** Where this projector stands: 'active' while it holds the locks and applies, 'standby' while another does. */
  role: 'idle' | 'active' | 'standby' = 'idle';
  /** Called after each committed batch (by this projector) with the new position. */
  onProjected: (position: number) => void = () => undefined;

  private constructor(private readonly store: EventStore | null, private readonly options: PostgresProjectorOptions) {
    this.projections = options.projections ?? ALL_PG_PROJECTIONS;
    this.names = this.projections.map((p) => p.name);
  }

  /**
   * Migrates the read store, checks that its tables were built by these
   * projections' versions, and reads the checkpoint. `store` is the log to
   * follow (null for a projector that only applies given batches).
   */
  static async open(store: EventStore | null, options: PostgresProjectorOptions): Promise<PostgresProjector> {
    await migrateReadStore(options);
    const projector = new PostgresProjector(store, { ...options, applicationName: options.applicationName ?? 'haitang projector' });
    const client = await projector.connection();
    for (const p of projector.projections) {
      const row = (await client.query<{ version: number }>('SELECT version FROM checkpoints WHERE projection = $1', [p.name])).rows[0];
      if (row && row.version !== p.version) {
        await projector.release();
        throw new Error(`Read model "${p.name}" has version ${row.version}, this Haitang expects ${p.version}: rebuild the read models (npm run rebuild).`);
      }
      await client.query('INSERT INTO checkpoints (projection, version, position) VALUES ($1, $2, 0) ON CONFLICT (projection) DO NOTHING', [p.name, p.version]);
    }
    projector.progress.reset(await projector.checkpoint());
    return projector;
  }

  get ownershipEpoch(): number {
    return this.progress.ownershipEpoch;
  }

  get position(): number {
    return this.progress.position;
  }

  get error(): Error | null {
    return this.failure;
  }

  waitFor(position: number, timeoutMs = 5000): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  /** The connection that holds the locks and applies the batches (reopened after a loss, without its locks). */
  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    // Read models can always be replayed from the log: no need to wait for the disk at each commit
    // (a crash loses at most the last batches, rows and checkpoint together, and they are applied again).
    const client = new Client(clientConfig(this.options, { synchronous_commit: 'off', idle_in_transaction_session_timeout: '60s' }));
    client.on('error', () => {
      if (this.client === client) this.dropConnection();
    });
    client.on('notification', (message) => {
      // The payload: the position, and ' moved' when the batch moved a stream to another owner.
      if (this.role !== 'active' && message.payload) this.progress.advance(Number.parseInt(message.payload, 10), message.payload.endsWith(' moved'));
    });
    await client.connect();
    await client.query(`LISTEN ${PROJECTED_CHANNEL}`);
    this.client = client;
    return client;
  }

  private dropConnection(): void {
    const client = this.client;
    this.client = null;
    this.holding = false;
    if (this.role === 'active') this.role = 'standby';
    void client?.end().catch(() => undefined);
  }

  /** The lowest position every projection has reached. */
  async checkpoint(): Promise<number> {
    const client = await this.connection();
    return (await client.query<{ p: number }>('SELECT coalesce(min(position), 0) AS p FROM checkpoints WHERE projection = ANY($1::text[])', [this.names])).rows[0].p;
  }

  /** Takes every projection's lock, or none. */
  private async takeLocks(client: Client): Promise<boolean> {
    const taken: number[] = [];
    for (const name of this.names) {
      const key = projectionLockKey(name);
      const ok = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [PROJECTION_LOCK_CLASS, key])).rows[0].ok;
      if (!ok) {
        for (const k of taken) await client.query('SELECT pg_advisory_unlock($1, $2)', [PROJECTION_LOCK_CLASS, k]);
        return false;
      }
      taken.push(key);
    }
    return true;
  }

  /**
   * Applies one batch and moves the checkpoints, atomically. Refuses (false,
   * nothing applied) a batch that starts after a gap, i.e. when a projection's
   * checkpoint is behind the batch's first event.
   */
  async applyBatch(batch: readonly RecordedEvent[]): Promise<boolean> {
    if (batch.length === 0) return true;
    const first = batch[0].position;
    const last = batch[batch.length - 1].position;
    const moved = batch.some(movesOwnership);
    const client = await this.connection();
    await client.query('BEGIN');
    try {
      const checkpoints = new Map((await client.query<{ projection: string; position: number }>(
        'SELECT projection, position FROM checkpoints WHERE projection = ANY($1::text[]) FOR UPDATE', [this.names],
      )).rows.map((r) => [r.projection, r.position]));
      const work = this.projections.map((p) => {
        const from = checkpoints.get(p.name) ?? 0;
        if (from < first - 1) throw new CheckpointGap();
        return { projection: p, events: batch.filter((e) => e.position > from && p.handles.has(e.type)) };
      });
      await applyProjections(client, work);
      await client.query('UPDATE checkpoints SET position = greatest(position, $2) WHERE projection = ANY($1::text[])', [this.names, last]);
      await client.query('SELECT pg_notify($1, $2)', [PROJECTED_CHANNEL, moved ? `${last} moved` : String(last)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => this.dropConnection());
      if (error instanceof CheckpointGap) return false;
      if (isConnectionFailure(error)) this.dropConnection();
      throw error;
    }
    this.progress.advance(last, moved);
    this.onProjected(last);
    return true;
  }

  start(): void {
    if (this.running) return;
    if (!this.store) throw new Error('This projector has no event log to follow.');
    this.controller = new AbortController();
    this.running = this.run(this.controller.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    const batchSize = this.options.batchSize ?? 1000;
    const pacingMs = this.options.pacingMs ?? 20;
    while (!signal.aborted) {
      try {
        const client = await this.connection();
        if (!this.holding) {
          this.holding = this.options.mode !== 'follow' && await this.takeLocks(client);
          if (!this.holding) {
            if (this.role !== 'standby') {
              log('info', this.options.mode === 'follow'
                ? 'The read models are kept by a separate projector (HAITANG_PROJECTOR=external); following how far they are.'
                : 'Another projector is updating these read models; standing by to take over.');
            }
            this.role = 'standby';
            // What another projector applied meanwhile is not known here: owners read before may have moved.
            const checkpoint = await this.checkpoint();
            this.progress.advance(checkpoint, checkpoint > this.progress.position);
            this.failure = null;
            await sleep(this.options.standbyPollMs ?? 500, signal);
            continue;
          }
          if (this.role === 'standby') log('warn', 'Took over the read models from a projector that stopped.');
          this.role = 'active';
        }
        const from = await this.checkpoint();
        this.progress.reset(from);
        for await (const batch of this.store!.follow(from, { signal, batchSize })) {
          if (!(await this.applyBatch(batch))) break; // the checkpoints moved (a rebuild was swapped in): follow again from them
          this.failure = null;
          if (signal.aborted || !this.holding) break;
          if (batch.length < batchSize && pacingMs > 0) await sleep(pacingMs, signal);
        }
      } catch (error) {
        if (signal.aborted) break;
        // Nothing of the failed batch was committed. Say so, wait, and go on from the checkpoint.
        this.failure = error as Error;
        log('error', `Read models are not being updated: ${(error as Error)?.message ?? error} (retrying)`);
        if (isConnectionFailure(error)) this.dropConnection();
        await sleep(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  /** Stops following and closes the connection (its locks go with it: a standby takes over). */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.running?.catch(() => undefined);
    this.running = null;
    await this.release();
  }

  private async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.holding = false;
    this.role = 'idle';
    await client?.end().catch(() => undefined);
  }
}

/**
 * Applies projections to the rows of one batch inside the caller's transaction:
 * each projection in turn loads what its events need, applies them in log
 * order, then everything changed is written.
 */
export async function applyProjections(
  client: Client, work: readonly { projection: PostgresProjection; events: readonly RecordedEvent[] }[],
): Promise<number> {
  const batch = new ReadModelBatch(client);
  for (const { projection, events } of work) {
    if (events.length === 0) continue;
    await projection.load(batch, events);
    for (const event of events) projection.apply(batch, event);
  }
  return batch.flush();
}

/**
 * The same on a rebuild's ReadModelBatch (its rows a RebuildMemory): nothing to
 * load (every row that exists is in memory; the projections' `load` only asks
 * for rows) and nothing to write per batch, so the batch is applied at once,
 * without waiting, as each projection's `apply` would be in applyProjections.
 */
export function applyInMemory(batch: ReadModelBatch, projections: readonly PostgresProjection[], events: readonly RecordedEvent[]): void {
  for (const projection of projections) {
    for (const event of events) if (projection.handles.has(event.type)) projection.apply(batch, event);
  }
}
