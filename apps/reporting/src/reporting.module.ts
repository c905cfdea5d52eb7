import { Module } from '@nestjs/common';
import { LedgerModule } from '@haitang/ledger';
import { ActivityViewsController } from './activities/activity-views.controller';
import { AuditController } from './audit/audit.controller';
import { CertificatesController } from './certificates/certificates.controller';
import { OrgUnitReportsController } from './org-units/org-unit-reports.controller';
import { UnitListsController } from './org-units/unit-lists.controller';
import { TeamViewsController } from './teams/team-views.controller';
import { VolunteerHoursController } from './volunteers/volunteer-hours.controller';
import { VolunteerProfileController } from './volunteers/volunteer-profile.controller';

/**
 * The query side: answers from the read models. Needs READ_MODELS,
 * PROJECTION_RUNNER, STAR_THRESHOLDS and WORKING_DAYS from the hosting app, and EVENT_STORE
 * (its head: `?minPosition=` beyond it is refused, not waited for; and the
 * certificate registers). Issuing a certificate is a command of the ledger's (LedgerModule).
 */
@Module({
  imports: [LedgerModule],
  controllers: [VolunteerHoursController, VolunteerProfileController, OrgUnitReportsController, UnitListsController, ActivityViewsController, AuditController, CertificatesController, TeamViewsController],
})
export class ReportingModule {}
