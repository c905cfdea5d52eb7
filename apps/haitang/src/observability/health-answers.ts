import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { HealthCheckResult, HealthCheckStatus, HealthIndicatorStatus } from '@nestjs/terminus';

/** One indicator: `eventStore` (headPosition) or `readModels` (projectedPosition), with a message when down. */
export class HealthIndicatorView {
  @ApiProperty({ enum: ['up', 'down'], enumName: 'HealthIndicatorStatus' })
  status: HealthIndicatorStatus;

  @ApiPropertyOptional({ type: 'integer', description: 'eventStore: the position of the last event in the log' })
  headPosition?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'readModels: how far the read models have come' })
  projectedPosition?: number;

  @ApiPropertyOptional({ type: String, description: 'Why it is down' })
  message?: string;
}

const INDICATORS = { type: 'object', additionalProperties: { $ref: getSchemaPath(HealthIndicatorView) } } as const;

/** The answer of GET /health (200 when up, 503 with the same shape when not). */
@ApiExtraModels(HealthIndicatorView)
export class HealthAnswer implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], enumName: 'HealthStatus' })
  status: HealthCheckStatus;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The indicators that are up' })
  info?: Partial<Record<string, HealthIndicatorView>>;

  @ApiPropertyOptional({ ...INDICATORS, description: 'The indicators that are down' })
  error?: Partial<Record<string, HealthIndicatorView>>;

  @ApiProperty({ ...INDICATORS, description: 'Every indicator' })
  details: Record<string, HealthIndicatorView>;
}
