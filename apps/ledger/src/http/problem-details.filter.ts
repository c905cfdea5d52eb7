import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@haitang/domain';
import {
  DuplicateCommandError, EventIdConflictError, isConnectionFailure, isStorageFailure, StoreUnavailableError, WrongExpectedVersionError,
} from '@haitang/event-store';
import { type Problem, problem, ProblemException } from './problem';
import { correlationIdOf } from './correlation';
import { loggedUrl } from './logged-url';

const DOMAIN_STATUS: Record<DomainError['kind'], number> = { 'not-found': 404, conflict: 409, invalid: 422 };

/**
 * A PostgreSQL store that cannot be reached. Not an HTTP-level error: those carry their own statusCode
 * (e.g. a client that aborts its request body raises ECONNRESET with statusCode 400, answered 400).
 */
const databaseUnreachable = (error: unknown) => isConnectionFailure(error) && (error as { statusCode?: unknown }).statusCode === undefined;

/** Maps anything thrown while answering a request to an RFC 9457 problem. */
export function toProblem(error: unknown): { problem: Problem; headers: Record<string, string> } {
  if (error instanceof ProblemException) return { problem: error.problem, headers: error.headers };
  if (error instanceof DomainError) return { problem: problem(DOMAIN_STATUS[error.kind], error.code, error.message), headers: {} };
  if (error instanceof WrongExpectedVersionError || error instanceof DuplicateCommandError || error instanceof EventIdConflictError) {
    return { problem: problem(409, 'concurrent-change', '该记录刚被其他人修改，请刷新后重试。(Someone else changed this at the same moment; please retry.)'), headers: {} };
  }
  if (error instanceof StoreUnavailableError && error.outcome === 'unknown') {
    // The commit was sent but its answer was lost (a connection cut, the writer gone, a disk error while syncing):
    // saying "nothing was recorded" could make someone enter it again.
    return {
      problem: problem(503, 'outcome-unknown', '保存过程中出现故障，无法确认本次操作是否已保存。请稍后刷新查看，确认没有保存再重新提交。'
        + '(Something failed while saving, so it is not known whether the change was recorded. Check in a moment before sending it '
        + 'again. For programs: a retry with the same Idempotency-Key is never recorded twice.)'),
      headers: { 'retry-after': '5' },
    };
  }
  if (error instanceof StoreUnavailableError) {
    return { problem: problem(503, 'store-unavailable', '数据暂时无法保存，本次操作没有生效，请稍后重试。(The ledger cannot save right now; nothing was recorded. Please retry shortly.)'), headers: { 'retry-after': '5' } };
  }
  // The same condition raised by another SQLite file (the personal-data vault on a full disk, a busy read
  // model) or by a PostgreSQL read store that cannot be reached: 503, never 500. Whether part of the
  // request took effect is not known here, so this answer does not claim that nothing was recorded.
  if (databaseUnreachable(error)) {
    return { problem: problem(503, 'store-unavailable', '暂时连接不上数据库，请稍后重试。(The ledger\'s database cannot be reached right now. Please retry shortly.)'), headers: { 'retry-after': '5' } };
  }
  if (isStorageFailure(error)) {
    return { problem: problem(503, 'store-unavailable', '存储暂时不可用（例如磁盘已满），请稍后重试。(The ledger\'s storage is unavailable right now, e.g. the disk is full. Please retry shortly.)'), headers: { 'retry-after': '5' } };
  }
  if (error instanceof HttpException) return { problem: fromHttpException(error), headers: {} };
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { problem: fromFastifyError(status, error as Error & { code?: string }), headers: {} };
  return { problem: problem(500, 'internal-error', '服务器内部错误，已记录日志。(Something went wrong on our side; it has been logged.)'), headers: {} };
}

function fromHttpException(error: HttpException): Problem {
  const status = error.getStatus();
  if (status === 404) return problem(404, 'not-found', '找不到该地址。(No such resource.)');
  if (status === 405) return problem(405, 'method-not-allowed', '不支持该操作。(Method not allowed.)');
  if (status === 413) return problem(413, 'body-too-large', '提交的内容太大。(The request body is too large.)');
  if (status === 400 && /JSON/i.test(error.message)) return problem(400, 'malformed-json', '提交的内容不是有效的 JSON。(The body is not valid JSON.)');
  if (status === 415) return problem(415, 'unsupported-media-type', '请以 JSON 格式提交（Content-Type: application/json）。(Send JSON: Content-Type application/json.)');
  return problem(status, 'http-error', error.message);
}

function fromFastifyError(status: number, error: Error & { code?: string }): Problem {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(415, 'unsupported-media-type', '请以 JSON 格式提交（Content-Type: application/json）。(Send JSON: Content-Type application/json.)');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(413, 'body-too-large', '提交的内容太大。(The request body is too large.)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem(400, 'empty-body', '请求内容为空。(The JSON body is empty.)');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem(400, 'bad-content-length', '请求长度不正确。(Content-Length does not match the body.)');
    case 'FST_ERR_BAD_URL':
      return problem(400, 'bad-url', '请求地址的编码不正确。(The URL is not validly percent-encoded.)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Like ParseIdPipe: an id too long to be an id cannot exist.
      return problem(404, 'not-found', '找不到该编号对应的记录。(Nothing exists with this id.)');
    default:
      if (error instanceof SyntaxError || /JSON/i.test(error.message)) {
        return problem(400, 'malformed-json', '提交的内容不是有效的 JSON。(The body is not valid JSON.)');
      }
      return problem(status, 'bad-request', error.message);
  }
}

/**
 * The problem for a request Node's HTTP parser refused before Fastify saw it
 * (malformed HTTP, headers over the size limit, a request that never arrived).
 */
export function clientErrorProblem(error: { code?: string }): Problem {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem(431, 'headers-too-large', '请求头或地址太长。(The request headers or URL are too large.)');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_REQUEST_HEADERS_TIMEOUT':
      return problem(408, 'request-timeout', '请求超时。(The request took too long to arrive.)');
    default:
      return problem(400, 'malformed-http', '请求不是有效的 HTTP。(The request is not valid HTTP.)');
  }
}

/** A problem as a complete HTTP/1.1 response, for answering on a raw socket. */
export function rawProblemResponse(body: Problem): string {
  const text = JSON.stringify(body);
  return `HTTP/1.1 ${body.status} ${body.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n`
    + `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest | undefined, error: unknown, logger: Logger): void {
  const { problem: body, headers } = toProblem(error);
  if (body.status >= 500) logger.error({ err: error, correlationId: request && correlationIdOf(request.raw), method: request?.method, url: loggedUrl(request?.url) }, 'request failed');
  void reply
    .status(body.status)
    .headers(headers)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(request ? { ...body, instance: request.url } : body);
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(http.getResponse<FastifyReply>(), http.getRequest<FastifyRequest>(), error, this.logger);
  }
}
