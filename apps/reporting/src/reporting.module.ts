import { Module } from '@nestjs/common';
import { VolunteerHoursController } from './volunteers/volunteer-hours.controller';

/**
 * The query side: answers from the read models. Needs READ_MODELS,
 * PROJECTION_RUNNER and STAR_THRESHOLDS from the hosting app.
 */
@Module({ controllers: [VolunteerHoursController] })
export class ReportingModule {}
