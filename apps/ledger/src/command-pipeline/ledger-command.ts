import { Command } from '@nestjs/cqrs';
import type {
  ActivityCommand, OrgUnitCommand, ServiceRecordCommand, TeamCommand, VolunteerCommand,
} from '@haitang/domain';
import type { PersonalData } from '@haitang/auth';
import type { CommandContext, CommandOutcome } from './command-context';

/** The messages on the @nestjs/cqrs command bus: one per aggregate, wrapping the domain command. */
abstract class LedgerCommand<T> extends Command<CommandOutcome> {
  constructor(readonly command: T, readonly context: CommandContext) {
    super();
  }
}

export class OrgUnitCommandMessage extends LedgerCommand<OrgUnitCommand> {}
export class TeamCommandMessage extends LedgerCommand<TeamCommand> {}
export class ActivityCommandMessage extends LedgerCommand<ActivityCommand> {}
export class ServiceRecordCommandMessage extends LedgerCommand<ServiceRecordCommand> {}

/** Volunteer commands may carry personal data in clear: the handler seals it before any event is made. */
export type VolunteerCommandInput =
  | (Exclude<VolunteerCommand, { type: 'RegisterVolunteer' | 'UpdateVolunteerProfile' }>)
  | (Extract<VolunteerCommand, { type: 'RegisterVolunteer' }> & { clearPersonalData?: PersonalData })
  | (Extract<VolunteerCommand, { type: 'UpdateVolunteerProfile' }> & { clearPersonalData?: PersonalData });
export class VolunteerCommandMessage extends LedgerCommand<VolunteerCommandInput> {}
