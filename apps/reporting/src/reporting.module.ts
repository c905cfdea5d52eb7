import { Module } from '@nestjs/common';
import { ActivityViewsController } from './activities/activity-views.controller';
import { AuditController } from './audit/audit.controller';
import { OrgUnitReportsController } from './org-units/org-unit-reports.controller';
import { UnitListsController } from './org-units/unit-lists.controller';
import { VolunteerHoursController } from './volunteers/volunteer-hours.controller';
import { VolunteerProfileController } from './volunteers/volunteer-profile.controller';

/**
 * The query side: answers from the read models. Needs READ_MODELS,
 * PROJECTION_RUNNER and STAR_THRESHOLDS from the hosting app, and EVENT_STORE
 * (only its head: `?minPosition=` beyond it is refused, not waited for).
 */
@Module({ controllers: [VolunteerHoursController, VolunteerProfileController, OrgUnitReportsController, UnitListsController, ActivityViewsController, AuditController] })
export class ReportingModule {}
