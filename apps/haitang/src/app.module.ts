import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { LedgerModule } from '@haitang/ledger';
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
          // No line carries request headers (the access line names method, URL and status), so nothing to redact.
          pinoHttp: [{ level: config.logLevel }, pino.transport({ target: 'pino/file', options: { destination: 1 } })],
          // No per-request middleware: pino-http made two child loggers for every request and
          // nestjs-pino ran the rest of it in an AsyncLocalStorage (promise hooks on every await),
          // about a tenth of a command's CPU. Lines written during a request name its correlationId
          // themselves, and the access line comes from one onResponse hook (observability/access-log.ts).
          forRoutes: [],
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
