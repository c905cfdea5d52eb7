import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orgUnitDecider, orgUnitStream, volunteerDecider, volunteerStream, type VolunteerCommand } from '@haitang/domain';
import { PERSONAL_DATA_VAULT, type PersonalDataVault } from '@haitang/auth';
import { DecisionRunner, NEW } from '../command-pipeline/decision-runner';
import { VolunteerCommandMessage } from '../command-pipeline/ledger-command';

/**
 * Volunteer commands. Personal data is sealed with the volunteer's own key
 * before the decision, so no event ever holds it in clear. Erasure destroys the
 * key once the decision allows it and before the erasure event is appended: if
 * the append then fails, the data is gone anyway and a retry records the event.
 */
@CommandHandler(VolunteerCommandMessage)
export class VolunteerCommandHandler implements ICommandHandler<VolunteerCommandMessage> {
  constructor(
    private readonly runner: DecisionRunner,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}

  async execute({ command: input, context }: VolunteerCommandMessage) {
    const command = await this.sealed(input);
    return this.runner.run(context, async (load) => {
      const volunteer = await load(volunteerDecider, volunteerStream(command.volunteerId), command.type === 'RegisterVolunteer' ? NEW : undefined);
      const homeOrgUnitId = command.type === 'RegisterVolunteer' ? command.homeOrgUnitId
        : command.type === 'UpdateVolunteerProfile' ? command.changes.homeOrgUnitId : undefined;
      const homeOrgUnit = homeOrgUnitId ? (await load(orgUnitDecider, orgUnitStream(homeOrgUnitId))).state : undefined;
      const events = volunteerDecider.decide(command, volunteer.state, { now: context.now, homeOrgUnit });
      const beforeAppend = command.type === 'EraseVolunteerPersonalData' ? () => this.vault.destroyKey(command.volunteerId) : undefined;
      return { appends: [{ stream: volunteer, events }], result: { id: command.volunteerId }, beforeAppend };
    });
  }

  private async sealed(input: VolunteerCommandMessage['command']): Promise<VolunteerCommand> {
    if (input.type === 'RegisterVolunteer') {
      const { clearPersonalData, ...command } = input;
      const personalData = hasAny(clearPersonalData) ? await this.vault.seal(input.volunteerId, clearPersonalData!) : null;
      return { ...command, personalData };
    }
    if (input.type === 'UpdateVolunteerProfile') {
      const { clearPersonalData, ...command } = input;
      if (!hasAny(clearPersonalData)) return command;
      return { ...command, changes: { ...command.changes, personalData: await this.vault.seal(input.volunteerId, clearPersonalData!) } };
    }
    return input;
  }
}

function hasAny(data: object | undefined): boolean {
  return !!data && Object.values(data).some((v) => v !== undefined && v !== null && v !== '');
}
