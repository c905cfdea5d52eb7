import { Command } from '@nestjs/cqrs';
import type {
  ActivityCommand, CertificateCommand, OrgUnitCommand, ServiceRecordCommand, TeamCommand, VolunteerCommand,
} from '@haitang/domain';
import type { PersonalData } from '@haitang/auth';
import type { ActivityResult } from '../activities/completion-answer';
import type { CommandContext, CommandOutcome } from './command-context';
import type { SubjectResult } from './command-answer';

/** The messages on the @nestjs/cqrs command bus: one per aggregate, wrapping the domain command; R is what its handler answers. */
abstract class LedgerCommand<T, R extends Record<string, unknown> = SubjectResult> extends Command<CommandOutcome<R>> {
  constructor(readonly command: T, readonly context: CommandContext) {
    super();
  }
}

export class OrgUnitCommandMessage extends LedgerCommand<OrgUnitCommand> {}
export class TeamCommandMessage extends LedgerCommand<TeamCommand> {}
export class ActivityCommandMessage extends LedgerCommand<ActivityCommand, ActivityResult> {}
export class ServiceRecordCommandMessage extends LedgerCommand<ServiceRecordCommand> {}

/** Volunteer commands may carry personal data in clear: the handler seals it before any event is made. */
export type VolunteerCommandInput =
  | (Exclude<VolunteerCommand, { type: 'RegisterVolunteer' | 'UpdateVolunteerProfile' }>)
  | (Extract<VolunteerCommand, { type: 'RegisterVolunteer' }> & { clearPersonalData?: PersonalData })
  | (Extract<VolunteerCommand, { type: 'UpdateVolunteerProfile' }> & { clearPersonalData?: PersonalData });
export class VolunteerCommandMessage extends LedgerCommand<VolunteerCommandInput> {}

/** What issuing a certificate answers: its number (also the id) and the code that verifies it. */
export type CertificateResult = { id: string; number: string; verificationCode: string };
export class CertificateCommandMessage extends LedgerCommand<CertificateCommand, CertificateResult> {}
