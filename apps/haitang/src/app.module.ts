import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { correlationIdOf, LedgerModule } from '@haitang/ledger';
import type { HaitangConfig } from './config';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { ReadModelsModule } from './infrastructure/read-models.module';
import { ReportingModule } from '@haitang/reporting';
import { AccessModule } from './access/access.module';
import { AccountsModule } from './accounts/accounts.module';
import { HealthController } from './observability/health.controller';
import { MetricsController } from './observability/metrics.controller';

/** The standalone process: ledger, projector and reporting in one process over embedded SQLite. */
@Module({})
export class HaitangModule {
  static forRoot(config: HaitangConfig): DynamicModule {
    return {
      module: HaitangModule,
      imports: [
        LoggerModule.forRoot({
          // Log lines are written to stdout by pino's own worker thread (pino/file transport), flushed at exit:
          // writing each command's line on the HTTP thread cost it more than making the line.
          pinoHttp: [{
            level: config.logLevel,
            genReqId: (req) => correlationIdOf(req),
            autoLogging: config.logRequests ? { ignore: (req) => req.url === '/health' || req.url === '/metrics' } : false,
            customProps: (req) => ({ correlationId: correlationIdOf(req) }),
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            serializers: { req: (req) => ({ method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
          }, pino.transport({ target: 'pino/file', options: { destination: 1 } })],
        }),
        InfrastructureModule.forRoot(config),
        TerminusModule,
        ReadModelsModule.forRoot(config),
        AccountsModule.forRoot(config),
        AccessModule,
        LedgerModule,
        ReportingModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
