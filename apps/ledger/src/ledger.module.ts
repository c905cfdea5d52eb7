import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ActivitiesController } from './activities/activities.controller';
import { ActivityCommandHandler } from './activities/activity.handler';
import { CertificateCommandHandler } from './certificates/certificate.handler';
import { CheckInCodesController } from './check-in-codes/check-in-codes.controller';
import { CommandGateway } from './command-pipeline/command-gateway';
import { DecisionRunner } from './command-pipeline/decision-runner';
import { EventLogController } from './log/event-log.controller';
import { ImportRecordsHandler } from './imports/import.handler';
import { ImportsController } from './imports/imports.controller';
import { OrgUnitCommandHandler } from './org-units/org-unit.handler';
import { OrgUnitsController } from './org-units/org-units.controller';
import { ServiceRecordCommandHandler } from './records/service-record.handler';
import { ServiceRecordsController } from './records/service-records.controller';
import { TeamCommandHandler } from './teams/team.handler';
import { TeamsController } from './teams/teams.controller';
import { VolunteerCommandHandler } from './volunteers/volunteer.handler';
import { VolunteersController } from './volunteers/volunteers.controller';

/**
 * The write side: HTTP commands -> command handlers -> pure deciders -> event store.
 * Needs EVENT_STORE, PERSONAL_DATA_VAULT, CHECK_IN_CODE_KEY and ACCOUNT_STORE (erasure removes a volunteer's accounts) from the hosting app.
 */
@Module({
  imports: [CqrsModule],
  controllers: [OrgUnitsController, TeamsController, VolunteersController, ActivitiesController, ServiceRecordsController, EventLogController, CheckInCodesController, ImportsController],
  providers: [
    DecisionRunner, CommandGateway,
    OrgUnitCommandHandler, TeamCommandHandler, VolunteerCommandHandler, ActivityCommandHandler, ServiceRecordCommandHandler, ImportRecordsHandler, CertificateCommandHandler,
  ],
  exports: [CommandGateway],
})
export class LedgerModule {}
