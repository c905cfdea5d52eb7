import { type CanActivate, type ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, idFieldMessage, isId, requiredFieldMessage, validationFailed } from '@haitang/ledger';
import {
  ACCESS_RULE, type AccessRule, inScope, isPublic, roleRefusal, SCOPE_DIRECTORY, type ScopeDirectory, type TargetSpec,
} from '@haitang/auth';
import { outOfScope, readOnlyRole, roleNotPermitted, undeclaredRoute } from './refusals';
import { RequestAuthenticator } from './request-authenticator';

/** The value a target spec points at; undefined when absent (null counts as absent). */
function targetValue(request: FastifyRequest, spec: TargetSpec): unknown {
  const source = spec.in === 'param' ? request.params : spec.in === 'query' ? request.query : request.body;
  if (source === null || typeof source !== 'object' || !Object.prototype.hasOwnProperty.call(source, spec.name)) return undefined;
  const value = (source as Record<string, unknown>)[spec.name];
  return value === null ? undefined : value;
}

/**
 * The global guard: every route must declare its access rule (@Public or
 * @Access). For a non-public route it verifies the bearer token (401 when
 * missing or not accepted), checks the caller's role against the rule (403),
 * and locates each target the rule names in the read models: it must lie in
 * the caller's scope (403, the same answer for a foreign id and an unknown one),
 * once the read models hold the `minPosition` the request asks for, if any.
 * A body that lacks the target it acts on (or gives it as something other
 * than a string) is answered 400 with that field, as validation would.
 * It runs before validation and before the handler, so a refused request
 * changes nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger('access');

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    @Inject(SCOPE_DIRECTORY) private readonly scopes: ScopeDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!rule) {
      this.logger.error({ correlationId: correlationIdOf(request.raw) }, `${request.method} ${request.routeOptions.url} declares no access rule: refused`);
      throw undeclaredRoute();
    }
    if (isPublic(rule)) return true;
    const principal = await this.authenticator.principal(request);
    const refusal = roleRefusal(principal, rule);
    if (refusal === 'role') throw roleNotPermitted();
    if (refusal === 'read-only') throw readOnlyRole();
    if (principal.role === 'admin' || rule.scope === 'caller') return true;
    // Read-your-writes for the check itself: where the request waits for a log position, so does its scope.
    // (A value the query's validation will refuse is ignored here.)
    const minPosition = Number((request.query as Record<string, unknown> | undefined)?.minPosition);
    if (Number.isSafeInteger(minPosition) && minPosition > 0) await this.scopes.caughtUpWith(minPosition);
    let located = 0;
    for (const spec of rule.scope) {
      const value = targetValue(request, spec);
      if (value === undefined && spec.optional) continue;
      // A body without the unit (or volunteer…) it acts on is malformed, not foreign: say which field, as validation would.
      if (spec.in === 'body' && value !== undefined && !isId(value)) throw validationFailed([{ field: spec.name, message: idFieldMessage(spec.name) }]);
      if (spec.in === 'body' && value === undefined && !spec.absentMeansEverything) throw validationFailed([{ field: spec.name, message: requiredFieldMessage(spec.name) }]);
      // A required target that is missing otherwise (a list of every unit, a district) is the whole ledger: admin only.
      const location = typeof value === 'string' ? await this.scopes.locate(spec.kind, value) : null;
      if (!(await inScope(principal, location, (ancestor, unit) => this.scopes.isWithin(ancestor, unit)))) throw outOfScope();
      located++;
    }
    // Targets that are each optional still need one of them (e.g. an audit by unit or by record): none is everything.
    if (located === 0 && rule.scope.length > 0) throw outOfScope();
    return true;
  }
}
