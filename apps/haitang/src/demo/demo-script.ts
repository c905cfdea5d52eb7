import type {
  ActivityCommand, OrgUnitCommand, ServiceRecordCommand, TeamCommand,
} from '@haitang/domain';
import type { VolunteerCommandInput } from '@haitang/ledger';

/** One command of the demo, addressed to the aggregate that handles it. */
export type DemoCommand =
  | { readonly aggregate: 'org-unit'; readonly command: OrgUnitCommand }
  | { readonly aggregate: 'team'; readonly command: TeamCommand }
  | { readonly aggregate: 'volunteer'; readonly command: VolunteerCommandInput }
  | { readonly aggregate: 'activity'; readonly command: ActivityCommand }
  | { readonly aggregate: 'record'; readonly command: ServiceRecordCommand };

/**
 * A demo command with its fixed command id. The id is the command's
 * Idempotency-Key: running the demo again replays the stored receipts and
 * appends nothing.
 */
export type DemoStep = DemoCommand & { readonly commandId: string };

const KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Collects demo steps in order and refuses two steps with the same command id. */
export class DemoScript {
  private readonly steps: DemoStep[] = [];
  private readonly ids = new Set<string>();

  add(commandId: string, step: DemoCommand): void {
    const id = `demo:${commandId}`;
    if (!KEY_PATTERN.test(id)) throw new Error(`Demo command id "${id}" is not a valid Idempotency-Key`);
    if (this.ids.has(id)) throw new Error(`Demo command id "${id}" is used twice`);
    this.ids.add(id);
    this.steps.push({ ...step, commandId: id });
  }

  toArray(): readonly DemoStep[] {
    return [...this.steps];
  }
}

const SHANGHAI = '+08:00';
const MINUTE_MS = 60_000;

/** An instant written in Suzhou local time: `local('2026-08-08', '09:00')`. */
export const local = (date: string, time: string): string => `${date}T${time}:00${SHANGHAI}`;

/** The instant `minutes` after (or before, when negative) `instant`, as ISO-8601 UTC. */
export const shiftMinutes = (instant: string, minutes: number): string =>
  new Date(Date.parse(instant) + minutes * MINUTE_MS).toISOString();
