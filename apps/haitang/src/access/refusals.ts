import { AuthenticationError, IdentityProviderUnavailable } from '@haitang/auth';
import { problem, ProblemException } from '@haitang/ledger';

/** 401: no token, or one that is not accepted. The challenge says which (RFC 6750). */
export function unauthenticated(error: AuthenticationError): ProblemException {
  const challenge = error.code === 'token-missing' || error.code === 'invalid-credentials'
    ? 'Bearer realm="haitang"' : 'Bearer realm="haitang", error="invalid_token"';
  return new ProblemException(problem(401, error.code, error.message), { 'www-authenticate': challenge });
}

export const signInRequired = () => unauthenticated(new AuthenticationError('token-missing', '请先登录。(Sign in first: send Authorization: Bearer <token>.)'));

/** 403 for a role that may not call the route at all (reveals nothing about any record). */
export const roleNotPermitted = () =>
  new ProblemException(problem(403, 'role-not-permitted', '您的角色不能执行此操作。(Your role may not do this.)'));

/** 403 for an official trying to change something. */
export const readOnlyRole = () =>
  new ProblemException(problem(403, 'read-only-role', '领导账号只能查看，不能修改。(Officials read; they change nothing.)'));

/**
 * 403 for a record outside the caller's scope, and equally for one that does
 * not exist: the same answer, so that nobody learns what exists elsewhere.
 */
export const outOfScope = () =>
  new ProblemException(problem(403, 'out-of-scope', '无权访问：该记录不在您的管辖范围内，或不存在。(Not permitted: outside your scope, or no such record.)'));

/** 403 for a route that declares no access rule (a programming error, refused rather than opened). */
export const undeclaredRoute = () =>
  new ProblemException(problem(403, 'no-access-rule', '该接口没有声明访问规则。(This route declares no access rule.)'));

export const identityProviderUnavailable = (error: IdentityProviderUnavailable) =>
  new ProblemException(problem(503, 'identity-provider-unavailable', '统一身份认证服务暂时无法访问，请稍后重试。(The identity provider cannot be reached; retry shortly.)'), { 'retry-after': '5' });
