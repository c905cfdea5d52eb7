import type { SqliteProjection } from '../sqlite/sqlite-projection';
import { activitiesProjection } from './activities.projection';
import { figureChangesProjection } from './figure-changes.projection';
import { keysProjection } from './keys.projection';
import { orgUnitsProjection } from './org-units.projection';
import { recordsProjection } from './records.projection';
import { streamOwnersProjection } from './stream-owners.projection';
import { auditProjection } from './audit.projection';

/** Every projection of the read store, in the order they are applied. */
export const ALL_PROJECTIONS: readonly SqliteProjection[] = [
  // First: gives units and volunteers their keys in log order (see sqlite/keys.ts).
  keysProjection,
  recordsProjection, orgUnitsProjection, activitiesProjection,
  // The audit numbers streams without keys of their own (sqlite/keys.ts, streamKey) in log order; stream-owners finds them.
  auditProjection, streamOwnersProjection,
  // Last: it reads what the others wrote in the same transaction.
  figureChangesProjection,
];
