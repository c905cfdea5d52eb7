import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ActorView } from '@haitang/ledger';
import { PROJECTED_POSITION } from '../read-your-writes';
import { AUDIT_ORDERS, type AuditOrder } from './audit-query.dto';

/** The filter the trail answers (a username given as `actor` is shown as its account id). */
export class AuditFilterView {
  @ApiProperty({ type: String, nullable: true })
  orgUnitId: string | null;

  @ApiProperty({ type: String, nullable: true })
  streamId: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The actor’s account id' })
  actor: string | null;

  @ApiProperty({ type: String, nullable: true })
  from: string | null;

  @ApiProperty({ type: String, nullable: true })
  to: string | null;

  @ApiProperty({ type: String, nullable: true })
  type: string | null;

  @ApiProperty({ enum: AUDIT_ORDERS })
  order: AuditOrder;
}

/** The actor of an event, with the account behind it while that account exists. */
export class AuditActorView extends ActorView {
  @ApiPropertyOptional({ type: String, description: 'Absent when the account is gone (or never was: a system actor)' })
  username?: string;

  @ApiPropertyOptional({ type: String })
  displayName?: string;
}

export class AuditEntryView {
  @ApiProperty({ type: 'integer' })
  position: number;

  @ApiProperty({ type: String, format: 'date-time', description: 'When the ledger accepted it' })
  recordedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it happened (e.g. a check-in time)' })
  occurredAt: string | null;

  @ApiProperty({ type: String })
  streamId: string;

  @ApiProperty({ type: String, example: 'ServiceAmended.v1' })
  type: string;

  @ApiProperty({ type: () => AuditActorView, nullable: true })
  actor: AuditActorView | null;

  @ApiProperty({ type: String, nullable: true, description: 'The Idempotency-Key of the command' })
  commandId: string | null;

  @ApiProperty({ type: String, nullable: true })
  correlationId: string | null;

  @ApiProperty({
    type: 'object', additionalProperties: true, nullable: true,
    description: 'The event’s payload; sealed personal data is only flagged (`personalDataSealed`), never shown',
  })
  data: Record<string, unknown> | null;
}

/** The answer of GET /audit: one page of the trail, in log order. */
export class AuditTrailAnswer {
  @ApiProperty({ type: () => AuditFilterView })
  filter: AuditFilterView;

  @ApiProperty({ type: () => AuditEntryView, isArray: true })
  entries: AuditEntryView[];

  @ApiProperty({
    type: 'object', additionalProperties: { type: 'string' }, example: { 'v-033': '俞阿姨' },
    description: 'The names of the volunteers and activities the entries mention (by `volunteerId` / `activityId` in their data), as the read models know them',
  })
  names: Record<string, string>;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Pass as `after` (order=asc) or `before` (order=desc) for the next page; null on the last page' })
  next: number | null;

  @ApiProperty(PROJECTED_POSITION)
  projectedPosition: number;
}
