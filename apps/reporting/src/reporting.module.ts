import { Module } from '@nestjs/common';
import { ActivityViewsController } from './activities/activity-views.controller';
import { OrgUnitReportsController } from './org-units/org-unit-reports.controller';
import { VolunteerHoursController } from './volunteers/volunteer-hours.controller';

/**
 * The query side: answers from the read models. Needs READ_MODELS,
 * PROJECTION_RUNNER and STAR_THRESHOLDS from the hosting app.
 */
@Module({ controllers: [VolunteerHoursController, OrgUnitReportsController, ActivityViewsController] })
export class ReportingModule {}
