import { SetMetadata } from '@nestjs/common';
import type { AccountRole } from '../accounts/account';

/**
 * Every route declares who may call it (README, "Sign-in and roles"):
 *
 *   @Public()                                         anyone, no token (sign-in, health)
 *   @Access({ action, roles, scope })                 a signed-in caller
 *
 * `roles` lists who besides admin (who may do everything) may call the route;
 * officials never write. `scope` says where the records the route touches are
 * found: each present target must lie in the caller's scope (for officials and
 * staff: their org unit's subtree; for a volunteer: their own volunteer). A
 * route whose answer is only about the caller, or that filters itself by the
 * caller's scope, says `scope: 'caller'`. A route without a declaration is
 * refused, and fails the authorization matrix test.
 */
export type TargetKind = 'org-unit' | 'volunteer' | 'activity' | 'record' | 'team' | 'stream' | 'account';
export type TargetSource = { readonly in: 'param' | 'body' | 'query'; readonly name: string };

export interface TargetSpec extends TargetSource {
  readonly kind: TargetKind;
  /**
   * When absent from the request the target is skipped (otherwise only admin
   * may call without it). A rule whose targets are all optional still needs
   * one of them from anyone but an admin.
   */
  readonly optional?: boolean;
  /**
   * A required target of the body that is absent stands for the whole ledger
   * (a district registered with no parent): refused (403) to all but an admin,
   * like an absent target of the query. Otherwise a body without it is
   * malformed, answered 400 with the field.
   */
  readonly absentMeansEverything?: boolean;
}

/** `self`: a change to the caller's own account only (their password): every role may make it, officials too. */
export type Action = 'read' | 'write' | 'self';

export interface RoutePolicy {
  readonly public?: false;
  readonly action: Action;
  readonly roles: readonly Exclude<AccountRole, 'admin'>[];
  readonly scope: readonly TargetSpec[] | 'caller';
}

export type AccessRule = RoutePolicy | { readonly public: true };

export const ACCESS_RULE = 'haitang:access-rule';

export const Public = () => SetMetadata(ACCESS_RULE, { public: true } satisfies AccessRule);
export const Access = (policy: Omit<RoutePolicy, 'public'>) => SetMetadata(ACCESS_RULE, policy satisfies AccessRule);

export const param = (name: string): TargetSource => ({ in: 'param', name });
export const body = (name: string): TargetSource => ({ in: 'body', name });
export const query = (name: string): TargetSource => ({ in: 'query', name });

const target = (kind: TargetKind) => (source: TargetSource, options: { optional?: boolean; absentMeansEverything?: boolean } = {}): TargetSpec =>
  ({ kind, ...source, ...options });
/** The org unit named there. */
export const orgUnit = target('org-unit');
/** The volunteer named there (in scope through their home org unit, or being the caller). */
export const volunteer = target('volunteer');
/** The activity named there (its organising unit). */
export const activity = target('activity');
/** The service record named there (its organising unit, or its volunteer being the caller). */
export const record = target('record');
/** The team named there (its org unit). */
export const team = target('team');
/** A stream id such as `record-<id>` (whatever the stream is about). */
export const stream = target('stream');
/** A sign-in account named there (its unit, or its volunteer's home unit; an admin account is in nobody's scope). */
export const account = target('account');

export const isPublic = (rule: AccessRule): rule is { readonly public: true } => rule.public === true;
