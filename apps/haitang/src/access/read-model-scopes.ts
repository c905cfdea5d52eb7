import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_STORE, type AccountStore, type Location, type ScopeDirectory, type TargetKind } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { isWithinOrgUnit, PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, streamOwner } from '@haitang/read-store';

const STREAM_PREFIX: Record<Exclude<TargetKind, 'stream' | 'account'>, string> = {
  'org-unit': 'orgunit-', volunteer: 'volunteer-', activity: 'activity-', record: 'record-', team: 'team-',
};

/** How many owners and unit pairs are remembered before the memory is started afresh. */
const REMEMBERED = 50_000;

/**
 * Scope checks on the read models: who owns a stream (stream-owners
 * projection) and the org-unit closure table. The read models trail the log
 * by milliseconds, so a target not found is looked up again once they have
 * caught up with the log's head: a unit registered a moment ago is in scope at
 * once, and an id that does not exist is known not to.
 *
 * Every command asks both questions, so the answers found are remembered: an
 * owner, once projected, changes only when a volunteer moves home, and a unit
 * never leaves its parent. Everything remembered is forgotten when the
 * projector reports such a move (ProjectionProgress.ownershipEpoch), so an
 * answer from memory is exactly what the read models would answer. What was
 * not found is never remembered.
 */
@Injectable()
export class ReadModelScopes implements ScopeDirectory {
  private owners = new Map<string, Location>();
  private within = new Set<string>();
  private epoch = -1;

  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
  ) {}

  async caughtUpWith(position: number): Promise<void> {
    if (position <= this.progress.position) return;
    // A position beyond the log is the query's to refuse (400), at once: nothing to wait for here.
    if (position > await this.log.headPosition()) return;
    await this.progress.waitFor(position, 5000);
  }

  async locate(kind: TargetKind, id: string): Promise<Location | null> {
    if (kind === 'account') return this.locateAccount(id);
    const streamId = kind === 'stream' ? id : STREAM_PREFIX[kind] + id;
    this.forgetIfMoved();
    const remembered = this.owners.get(streamId);
    if (remembered) return remembered;
    let epoch = this.progress.ownershipEpoch;
    // Taken before the lookup: had the read models reached the head by then, the target does not exist.
    // (Compared after it, a batch committed in between would make a target created a moment ago look unknown.)
    const projectedBefore = this.progress.position;
    let found = await streamOwner(this.db, streamId);
    if (!found) {
      const head = await this.log.headPosition();
      if (head <= projectedBefore || !(await this.progress.waitFor(head, 5000))) return null;
      epoch = this.progress.ownershipEpoch;
      found = await streamOwner(this.db, streamId);
    }
    if (found && this.stillCurrent(epoch)) {
      if (this.owners.size >= REMEMBERED) this.owners.clear();
      this.owners.set(streamId, found);
    }
    return found;
  }

  async isWithin(ancestor: string, unit: string): Promise<boolean> {
    const pair = `${ancestor} ${unit}`;
    this.forgetIfMoved();
    if (this.within.has(pair)) return true;
    const epoch = this.progress.ownershipEpoch;
    const within = await isWithinOrgUnit(this.db, ancestor, unit);
    if (within && this.stillCurrent(epoch)) {
      if (this.within.size >= REMEMBERED) this.within.clear();
      this.within.add(pair);
    }
    return within;
  }

  /** Empties the memory when the projector has reported a move since it was filled. */
  private forgetIfMoved(): void {
    if (this.epoch === this.progress.ownershipEpoch) return;
    this.epoch = this.progress.ownershipEpoch;
    this.owners = new Map();
    this.within = new Set();
  }

  /** True when nothing moved since `epoch`, when an answer was read: it may be remembered. */
  private stillCurrent(epoch: number): boolean {
    this.forgetIfMoved();
    return epoch === this.epoch;
  }

  /** An account lies where it is bound: its unit, or its volunteer; an admin account lies in nobody's scope. */
  private async locateAccount(username: string): Promise<Location | null> {
    const account = await this.accounts.find(username.toLowerCase());
    if (!account || account.role === 'admin') return null;
    if (account.volunteerId !== null) return this.locate('volunteer', account.volunteerId);
    return { orgUnitId: account.orgUnitId, volunteerId: null };
  }
}
