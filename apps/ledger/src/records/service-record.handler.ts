import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  activityDecider, activityStream, orgUnitDecider, orgUnitStream, recordStream, serviceRecordDecider,
  volunteerDecider, volunteerStream,
} from '@haitang/domain';
import { DecisionRunner, NEW } from '../command-pipeline/decision-runner';
import { ServiceRecordCommandMessage } from '../command-pipeline/ledger-command';

@CommandHandler(ServiceRecordCommandMessage)
export class ServiceRecordCommandHandler implements ICommandHandler<ServiceRecordCommandMessage> {
  constructor(private readonly runner: DecisionRunner) {}

  execute({ command, context }: ServiceRecordCommandMessage) {
    return this.runner.run(context, async (load) => {
      // A record without an activity got a fresh random id from the controller.
      const fresh = command.type === 'RecordService' && !command.activityId ? NEW : undefined;
      const record = await load(serviceRecordDecider, recordStream(command.recordId), fresh);
      let extra = {};
      if (command.type === 'RecordService') {
        extra = {
          volunteer: (await load(volunteerDecider, volunteerStream(command.volunteerId))).state,
          orgUnit: (await load(orgUnitDecider, orgUnitStream(command.orgUnitId))).state,
          activity: command.activityId ? (await load(activityDecider, activityStream(command.activityId))).state : undefined,
        };
      }
      const events = serviceRecordDecider.decide(command, record.state, { now: context.now, ...extra });
      return { appends: [{ stream: record, events }], result: { id: command.recordId } };
    });
  }
}
