import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { collectDefaultMetrics, register } from 'prom-client';
import { Public } from '@haitang/auth';
import { ApiProblemAnswers } from '@haitang/ledger';

collectDefaultMetrics({ prefix: 'haitang_' });

@ApiTags('operations')
@Public()
@ApiProblemAnswers()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('content-type', register.contentType)
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  metrics(): Promise<string> {
    return register.metrics();
  }
}
