import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { Action, AccountRole, TargetKind, TargetSource, TargetSpec } from '@haitang/auth';

const TARGET_KINDS: readonly TargetKind[] = ['org-unit', 'volunteer', 'activity', 'record', 'team', 'stream', 'account'];
const TARGET_SOURCES: readonly TargetSource['in'][] = ['param', 'body', 'query'];
const ACTIONS: readonly Action[] = ['read', 'write', 'self'];
const NON_ADMIN_ROLES: readonly Exclude<AccountRole, 'admin'>[] = ['official', 'staff', 'volunteer'];

/** Where a route finds a record whose place must lie in the caller's scope. */
export class TargetSpecView implements TargetSpec {
  @ApiProperty({ enum: TARGET_KINDS, enumName: 'TargetKind' })
  kind: TargetKind;

  @ApiProperty({ enum: TARGET_SOURCES, enumName: 'TargetSource' })
  in: TargetSource['in'];

  @ApiProperty({ type: String, description: 'The parameter, body field or query field' })
  name: string;

  @ApiPropertyOptional({ type: Boolean, description: 'Skipped when absent from the request' })
  optional?: boolean;

  @ApiPropertyOptional({ type: Boolean, description: 'A body field that, when absent, stands for the whole ledger (403 but for admin); otherwise its absence is a 400' })
  absentMeansEverything?: boolean;
}

/** A route's access rule: `{ public: true }`, or who besides admin may call it and what must be in their scope. */
@ApiExtraModels(TargetSpecView)
export class AccessRuleView {
  @ApiPropertyOptional({ type: Boolean, description: 'true: anyone, no token' })
  public?: boolean;

  @ApiPropertyOptional({ enum: ACTIONS, enumName: 'AccessAction' })
  action?: Action;

  @ApiPropertyOptional({ enum: NON_ADMIN_ROLES, enumName: 'NonAdminRole', isArray: true, description: 'Who besides admin may call it' })
  roles?: readonly Exclude<AccountRole, 'admin'>[];

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['caller'] }, { type: 'array', items: { $ref: getSchemaPath(TargetSpecView) } }],
    description: '`caller`: the answer is only about the caller, or filters itself by the caller’s scope',
  })
  scope?: readonly TargetSpecView[] | 'caller';
}

/** A RouteEntry (RouteTable.routes() is answered as RouteTableAnswer: the compiler checks that they agree). */
export class RouteEntryView {
  @ApiProperty({ type: String, example: 'POST' })
  method: string;

  @ApiProperty({ type: String, example: '/api/v1/activities/:id/check-ins' })
  path: string;

  @ApiProperty({ type: String, nullable: true, description: '`Controller.method`; null for routes of Fastify plugins (API docs, web pages)' })
  handler: string | null;

  @ApiProperty({ type: () => AccessRuleView, nullable: true, description: 'null when none was declared (every call is refused)' })
  rule: AccessRuleView | null;
}

/** The answer of GET /access/routes. */
export class RouteTableAnswer {
  @ApiProperty({ type: () => RouteEntryView, isArray: true })
  routes: RouteEntryView[];
}
