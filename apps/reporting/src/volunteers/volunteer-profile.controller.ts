import { Controller, Get, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  Access, maskPersonalData, param, PERSONAL_DATA_VAULT, type PersonalData, type PersonalDataVault, principalOf, volunteer,
} from '@haitang/auth';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { volunteerStream } from '@haitang/domain';
import { PROJECTION_PROGRESS, type ProjectionProgress, READ_MODELS, type ReadModels, volunteerProfile } from '@haitang/read-store';
import { ApiProblemAnswers, correlationIdOf, ParseIdPipe, problem, ProblemException } from '@haitang/ledger';
import { caughtUp, ConsistencyQuery } from '../read-your-writes';
import { VolunteerProfileAnswer } from './volunteer-answers';

/** The query of GET /volunteers/:id. */
class VolunteerProfileQuery extends ConsistencyQuery {
  @ApiPropertyOptional({ enum: ['open', 'omit'], default: 'open', description: 'omit: the profile without opening the personal data (nothing is logged)' })
  @IsOptional() @IsIn(['open', 'omit'])
  personalData?: 'open' | 'omit';
}

/**
 * A volunteer's profile. The read models hold no personal data at all: the
 * real name, phone and ID number exist only sealed in the log, with the
 * volunteer's own key in the vault. They are opened here, per request, and
 * shown in full only to staff (whose scope the access guard checked: the
 * volunteer's unit or a unit above it) and to the volunteer themselves;
 * admins and officials see them masked (张*, 138****5678). After erasure the
 * key is gone and there is nothing to show.
 */
@ApiTags('volunteers')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('volunteers')
export class VolunteerProfileController {
  constructor(
    @Inject(READ_MODELS) private readonly db: ReadModels,
    @Inject(PROJECTION_PROGRESS) private readonly runner: ProjectionProgress,
    @Inject(EVENT_STORE) private readonly log: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @InjectPinoLogger('personal-data') private readonly logger: PinoLogger,
  ) {}

  @Get(':id')
  @Access({ action: 'read', roles: ['official', 'staff', 'volunteer'], scope: [volunteer(param('id'))] })
  @ApiOperation({ summary: 'A volunteer’s profile; personal data in full for staff of their unit and for themselves, masked for others' })
  @ApiOkResponse({ type: VolunteerProfileAnswer })
  async profile(@Param('id', ParseIdPipe) id: string, @Query() query: VolunteerProfileQuery, @Req() req: FastifyRequest): Promise<VolunteerProfileAnswer> {
    await caughtUp(this.runner, query.minPosition, this.log);
    const profile = await volunteerProfile(this.db, id);
    if (!profile) throw new ProblemException(problem(404, 'volunteer-not-found', '找不到该志愿者。(Volunteer not found.)'));
    const caller = principalOf(req.raw)!;
    const full = caller.role === 'staff' || caller.role === 'volunteer';
    if (query.personalData === 'omit') return { ...profile, personalData: null, personalDataShown: 'omitted', projectedPosition: this.runner.position };
    const data = profile.personalDataErased ? null : await this.personalData(id);
    if (data && full) this.logger.info({ correlationId: correlationIdOf(req.raw), actor: caller.id, volunteerId: id }, 'personal data shown in full');
    return {
      ...profile,
      personalData: data === null ? null : full ? data : maskPersonalData(data),
      personalDataShown: data === null ? 'none' : full ? 'full' : 'masked',
      projectedPosition: this.runner.position,
    };
  }

  /** The latest sealed personal data of the volunteer's stream, opened; null when none or when the key is gone. */
  private async personalData(volunteerId: string): Promise<Required<PersonalData> | null> {
    const events = await this.log.readStream(volunteerStream(volunteerId));
    let sealed: string | null = null;
    for (const e of events) {
      const value = (e.data as { personalData?: string | null }).personalData;
      if (e.type === 'VolunteerPersonalDataErased.v1') sealed = null;
      else if (typeof value === 'string') sealed = value;
    }
    if (sealed === null) return null;
    const opened = await this.vault.open(volunteerId, sealed);
    return opened && { realName: opened.realName ?? null, phone: opened.phone ?? null, idNumber: opened.idNumber ?? null };
  }
}
