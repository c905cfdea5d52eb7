import { Inject, Injectable } from '@nestjs/common';
import { ACCOUNT_STORE, type AccountStore, type Location, type ScopeDirectory, type TargetKind } from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { isWithinOrgUnit, PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, streamOwner } from '@haitang/read-store';

const STREAM_PREFIX: Record<Exclude<TargetKind, 'stream' | 'account'>, string> = {
  'org-unit': 'orgunit-', volunteer: 'volunteer-', activity: 'activity-', record: 'record-', team: 'team-',
};

/**
 * Scope checks on the read models: who owns a stream (stream-owners
 * projection) and the org-unit closure table. The read models trail the log
 * by milliseconds, so a target not found is looked up again once they have
 * caught up with the log's head: a unit registered a moment ago is in scope at
 * once, and an id that does not exist is known not to.
 */
@Injectable()
export class ReadModelScopes implements ScopeDirectory {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly progress: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(ACCOUNT_STORE) private readonly accounts: AccountStore,
  ) {}

  async locate(kind: TargetKind, id: string): Promise<Location | null> {
    if (kind === 'account') return this.locateAccount(id);
    const streamId = kind === 'stream' ? id : STREAM_PREFIX[kind] + id;
    const found = await streamOwner(this.db, streamId);
    if (found) return found;
    const head = await this.log.headPosition();
    if (head <= this.progress.position || !(await this.progress.waitFor(head, 5000))) return null;
    return streamOwner(this.db, streamId);
  }

  isWithin(ancestor: string, unit: string): Promise<boolean> {
    return isWithinOrgUnit(this.db, ancestor, unit);
  }

  /** An account lies where it is bound: its unit, or its volunteer; an admin account lies in nobody's scope. */
  private async locateAccount(username: string): Promise<Location | null> {
    const account = await this.accounts.find(username.toLowerCase());
    if (!account || account.role === 'admin') return null;
    if (account.volunteerId !== null) return this.locate('volunteer', account.volunteerId);
    return { orgUnitId: account.orgUnitId, volunteerId: null };
  }
}
