import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type ActivityCompleted, activityDecider, type ActivityState, activityStream, attendanceRecordId, type DomainEvent, orgUnitDecider,
  orgUnitStream, recordStream, serviceRecordDecider, shanghaiDate, volunteerDecider, volunteerStream,
} from '@haitang/domain';
import { DecisionRunner, type Load, NEW, type Pending } from '../command-pipeline/decision-runner';
import { ActivityCommandMessage } from '../command-pipeline/ledger-command';

const attendanceTime = (event: DomainEvent) =>
  event.type === 'VolunteerCheckedIn.v1' || event.type === 'VolunteerCheckedOut.v1' ? (event.data as { at: string }).at : undefined;

@CommandHandler(ActivityCommandMessage)
export class ActivityCommandHandler implements ICommandHandler<ActivityCommandMessage> {
  constructor(private readonly runner: DecisionRunner) {}

  execute({ command, context }: ActivityCommandMessage) {
    return this.runner.run(context, async (load) => {
      const activity = await load(activityDecider, activityStream(command.activityId), command.type === 'PlanActivity' ? NEW : undefined);
      const orgUnit = command.type === 'PlanActivity' ? (await load(orgUnitDecider, orgUnitStream(command.orgUnitId))).state : undefined;
      // The volunteer's own stream matters only to enroll someone (on purpose or by walking in).
      const enrolls = command.type === 'EnrollVolunteer' || (command.type === 'CheckIn' && !activity.state.roster.has(command.volunteerId));
      const volunteer = enrolls ? (await load(volunteerDecider, volunteerStream(command.volunteerId))).state : undefined;
      const recordedVolunteers = command.type === 'CompleteActivity' ? await this.alreadyRecorded(load, command.activityId, [...activity.state.roster.keys()]) : undefined;
      const events = activityDecider.decide(command, activity.state, { now: context.now, orgUnit, volunteer, recordedVolunteers });
      const appends: Pending[] = [{ stream: activity, events, occurredAt: attendanceTime }];
      const completed = events.find((e): e is ActivityCompleted => e.type === 'ActivityCompleted.v1');
      if (completed) appends.push(...(await this.creditAttendance(load, activity.state, completed, context.now)));
      const result = completed
        ? { id: command.activityId, recordIds: completed.data.credited.map((c) => c.recordId), credited: completed.data.credited, notCredited: completed.data.notCredited }
        : { id: command.activityId };
      return { appends, result };
    });
  }

  /** Volunteers whose service for this activity a staff member already recorded by hand. */
  private async alreadyRecorded(load: Load, activityId: string, volunteerIds: string[]): Promise<Set<string>> {
    const recorded = new Set<string>();
    for (const volunteerId of volunteerIds) {
      const record = await load(serviceRecordDecider, recordStream(attendanceRecordId(activityId, volunteerId)));
      if (record.state.exists) recorded.add(volunteerId);
    }
    return recorded;
  }

  /** One approved service record per credited attendee, appended atomically with the completion. */
  private async creditAttendance(load: Load, state: ActivityState, completed: ActivityCompleted, now: Date): Promise<Pending[]> {
    const details = state.details!;
    const orgUnit = (await load(orgUnitDecider, orgUnitStream(details.orgUnitId))).state;
    const pending: Pending[] = [];
    for (const credit of completed.data.credited) {
      const record = await load(serviceRecordDecider, recordStream(credit.recordId));
      const volunteer = (await load(volunteerDecider, volunteerStream(credit.volunteerId))).state;
      const events = serviceRecordDecider.decide({
        type: 'RecordService',
        recordId: credit.recordId,
        volunteerId: credit.volunteerId,
        orgUnitId: details.orgUnitId,
        category: details.category,
        serviceDate: shanghaiDate(details.startsAt),
        minutes: credit.minutes,
        description: details.description ?? details.title,
        activityId: details.activityId,
        source: 'attendance',
      }, record.state, { now, volunteer, orgUnit, activity: state });
      pending.push({ stream: record, events });
    }
    return pending;
  }
}
