import { createHash } from 'node:crypto';
import type { Actor } from '@haitang/domain';
import type { EventStore } from '@haitang/event-store';
import {
  ActivityCommandMessage, type CommandContext, type CommandGateway, type CommandOutcome, OrgUnitCommandMessage,
  ProblemException, ServiceRecordCommandMessage, TeamCommandMessage, VolunteerCommandMessage,
} from '@haitang/ledger';
import type { DemoStep } from './demo-script';

/** Who the demo's events are attributed to. */
export const DEMO_ACTOR: Actor = { id: 'demo-loader', role: 'system', orgUnitId: null };
export const DEMO_CORRELATION_ID = 'demo';

export interface DemoSummary {
  orgUnits: number;
  teams: number;
  memberships: number;
  volunteers: number;
  activities: number;
  completedActivities: number;
  cancelledActivities: number;
  records: { total: number; attendance: number; staff: number; selfReport: number };
  corrections: { approved: number; rejected: number; amended: number; revoked: number };
  commands: { total: number; appended: number; alreadyThere: number };
  /** The log position after the demo (the head of the event log). */
  position: number;
}

/** A demo command the ledger refused: names the step so the story can be fixed. */
export class DemoStepFailed extends Error {
  constructor(readonly step: DemoStep, override readonly cause: unknown) {
    super(`Demo step ${step.commandId} (${step.command.type}) was refused: ${cause instanceof Error ? cause.message : String(cause)}`
      + (cause instanceof ProblemException && cause.problem.code === 'idempotency-key-reused'
        ? '\nThis data directory holds demo data written by a different version of the demo: load the demo into an empty HAITANG_DATA_DIR.'
        : ''));
    this.name = 'DemoStepFailed';
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The fingerprint of a demo command: a hash of what it says, so a changed demo
 * run over old data is refused (idempotency-key-reused) instead of silently
 * replaying the old answer. Personal data is left out: even hashed, it does
 * not belong in the command receipts.
 */
export function demoFingerprint(step: DemoStep): string {
  const command = { ...step.command } as Record<string, unknown>;
  delete command.clearPersonalData;
  return 'demo:' + createHash('sha256').update(canonicalJson({ aggregate: step.aggregate, command })).digest('base64url');
}

export function demoContext(step: DemoStep, now: Date): CommandContext {
  return { commandId: step.commandId, fingerprint: demoFingerprint(step), correlationId: DEMO_CORRELATION_ID, actor: DEMO_ACTOR, now };
}

function messageOf(step: DemoStep, context: CommandContext) {
  switch (step.aggregate) {
    case 'org-unit': return new OrgUnitCommandMessage(step.command, context);
    case 'team': return new TeamCommandMessage(step.command, context);
    case 'volunteer': return new VolunteerCommandMessage(step.command, context);
    case 'activity': return new ActivityCommandMessage(step.command, context);
    case 'record': return new ServiceRecordCommandMessage(step.command, context);
  }
}

/**
 * Runs the demo commands one by one through the command gateway, exactly as
 * HTTP requests with these Idempotency-Keys would: a command already applied
 * (same id) replays its stored answer and appends nothing.
 */
export async function loadDemo(
  gateway: CommandGateway,
  store: EventStore,
  steps: readonly DemoStep[],
  clock: () => Date = () => new Date(),
): Promise<DemoSummary> {
  const summary: DemoSummary = {
    orgUnits: 0, teams: 0, memberships: 0, volunteers: 0, activities: 0, completedActivities: 0, cancelledActivities: 0,
    records: { total: 0, attendance: 0, staff: 0, selfReport: 0 },
    corrections: { approved: 0, rejected: 0, amended: 0, revoked: 0 },
    commands: { total: 0, appended: 0, alreadyThere: 0 },
    position: 0,
  };
  for (const step of steps) {
    let outcome: CommandOutcome;
    try {
      outcome = await gateway.execute(messageOf(step, demoContext(step, clock())));
    } catch (error) {
      throw new DemoStepFailed(step, error);
    }
    summary.commands.total++;
    if (outcome.replayed) summary.commands.alreadyThere++;
    else summary.commands.appended++;
    count(summary, step, outcome);
  }
  summary.records.total = summary.records.attendance + summary.records.staff + summary.records.selfReport;
  summary.position = await store.headPosition();
  return summary;
}

function count(summary: DemoSummary, step: DemoStep, outcome: CommandOutcome): void {
  const c = step.command;
  switch (c.type) {
    case 'RegisterOrgUnit': summary.orgUnits++; break;
    case 'FormTeam': summary.teams++; break;
    case 'JoinTeam': summary.memberships++; break;
    case 'RegisterVolunteer': summary.volunteers++; break;
    case 'PlanActivity': summary.activities++; break;
    case 'CancelActivity': summary.cancelledActivities++; break;
    case 'CompleteActivity': {
      summary.completedActivities++;
      const recordIds = outcome.result.recordIds;
      summary.records.attendance += Array.isArray(recordIds) ? recordIds.length : 0;
      break;
    }
    case 'RecordService':
      if (c.source === 'self-report') summary.records.selfReport++;
      else summary.records.staff++;
      break;
    case 'ApproveService': summary.corrections.approved++; break;
    case 'RejectService': summary.corrections.rejected++; break;
    case 'AmendService': summary.corrections.amended++; break;
    case 'RevokeService': summary.corrections.revoked++; break;
    default: break;
  }
}

/** The few lines `cli demo` prints. */
export function formatSummary(summary: DemoSummary, dataDir: string): string {
  const s = summary;
  const fresh = s.commands.appended === 0
    ? `nothing new: all ${s.commands.total} demo commands were already applied`
    : `${s.commands.appended} commands applied, ${s.commands.alreadyThere} already there`;
  return [
    `Haitang demo data in ${dataDir} (${fresh})`,
    `  org units    ${s.orgUnits}`,
    `  teams        ${s.teams} (${s.memberships} memberships)`,
    `  volunteers   ${s.volunteers}`,
    `  activities   ${s.activities} (${s.completedActivities} completed, ${s.cancelledActivities} cancelled)`,
    `  records      ${s.records.total} (${s.records.attendance} from attendance, ${s.records.staff} staff entries, ${s.records.selfReport} self-reports)`,
    `  corrections  ${s.corrections.approved} approved, ${s.corrections.rejected} rejected, ${s.corrections.amended} amended, ${s.corrections.revoked} revoked`,
    `  log position ${s.position}`,
  ].join('\n');
}
