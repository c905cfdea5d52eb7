import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orgUnitDecider, orgUnitStream, teamDecider, teamStream, volunteerDecider, volunteerStream } from '@haitang/domain';
import { DecisionRunner, NEW } from '../command-pipeline/decision-runner';
import { TeamCommandMessage } from '../command-pipeline/ledger-command';

@CommandHandler(TeamCommandMessage)
export class TeamCommandHandler implements ICommandHandler<TeamCommandMessage> {
  constructor(private readonly runner: DecisionRunner) {}

  execute({ command, context }: TeamCommandMessage) {
    return this.runner.run(context, async (load) => {
      const team = await load(teamDecider, teamStream(command.teamId), command.type === 'FormTeam' ? NEW : undefined);
      const orgUnit = command.type === 'FormTeam' ? (await load(orgUnitDecider, orgUnitStream(command.orgUnitId))).state : undefined;
      const volunteer = command.type === 'JoinTeam' ? (await load(volunteerDecider, volunteerStream(command.volunteerId))).state : undefined;
      const events = teamDecider.decide(command, team.state, { now: context.now, orgUnit, volunteer });
      return { appends: [{ stream: team, events }], result: { id: command.teamId } };
    });
  }
}
