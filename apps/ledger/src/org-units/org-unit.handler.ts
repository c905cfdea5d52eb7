import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { orgUnitDecider, orgUnitStream } from '@haitang/domain';
import { DecisionRunner, NEW } from '../command-pipeline/decision-runner';
import { OrgUnitCommandMessage } from '../command-pipeline/ledger-command';

@CommandHandler(OrgUnitCommandMessage)
export class OrgUnitCommandHandler implements ICommandHandler<OrgUnitCommandMessage> {
  constructor(private readonly runner: DecisionRunner) {}

  execute({ command, context }: OrgUnitCommandMessage) {
    return this.runner.run(context, async (load) => {
      const unit = await load(orgUnitDecider, orgUnitStream(command.orgUnitId), command.type === 'RegisterOrgUnit' ? NEW : undefined);
      const parentId = command.type === 'RegisterOrgUnit' ? command.parentId : null;
      const parent = parentId ? (await load(orgUnitDecider, orgUnitStream(parentId))).state : undefined;
      const events = orgUnitDecider.decide(command, unit.state, { now: context.now, parent });
      return { appends: [{ stream: unit, events }], result: { id: command.orgUnitId } };
    });
  }
}
