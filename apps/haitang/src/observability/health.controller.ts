import { Controller, Get, HttpException, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { EVENT_STORE, type EventStore } from '@haitang/event-store';
import { PROJECTION_PROGRESS, type ProjectorStatus } from '@haitang/read-store';
import { Public } from '@haitang/auth';
import { ApiProblemAnswers } from '@haitang/ledger';
import { HealthAnswer } from './health-answers';

/**
 * GET /health: 200 when the ledger can read its log and the read models are
 * being updated; 503 (with the same details) when either is not.
 */
@ApiTags('operations')
@Public()
@ApiProblemAnswers()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_PROGRESS) private readonly projector: ProjectorStatus,
  ) {}

  @Get()
  @ApiOkResponse({ type: HealthAnswer, description: 'The ledger can read its log and the read models are being updated' })
  @ApiServiceUnavailableResponse({ type: HealthAnswer, description: 'Either is not (the same details)' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthAnswer> {
    try {
      return await this.health.check([
        async () => {
          const indicator = this.indicators.check('eventStore');
          try {
            return indicator.up({ headPosition: await this.store.headPosition() });
          } catch (error) {
            return indicator.down({ message: (error as Error).message });
          }
        },
        async () => {
          const indicator = this.indicators.check('readModels');
          const details = { projectedPosition: this.projector.position };
          const failure = this.projector.error;
          return failure ? indicator.down({ ...details, message: failure.message }) : indicator.up(details);
        },
      ]);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      void reply.status(error.getStatus());
      // Terminus's ServiceUnavailableException carries the HealthCheckResult.
      return error.getResponse() as HealthAnswer;
    }
  }
}
