/** An answer that was not a success, in the API's RFC 9457 shape (or a network failure, status 0). */
export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail || title);
    this.name = 'ApiError';
  }

  static network(): ApiError {
    return new ApiError(0, 'network', 'Network error', '');
  }

  /** A command tried more than once whose first tries may have been recorded, though the last one was refused. */
  static outcomeUnknown(): ApiError {
    return new ApiError(503, 'outcome-unknown', 'Service Unavailable',
      '无法确认本次操作是否已保存。请稍后刷新查看，确认没有保存再重新提交。(It is not known whether the change was recorded: check in a moment before sending it again.)');
  }
}

/** Reads a problem+json answer (or anything else the server or a proxy sent) into an ApiError. */
export function problemOf(response: Response, parsed: unknown): ApiError {
  const body: Record<string, unknown> = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const errors = Array.isArray(body.errors)
    ? body.errors.filter((e): e is FieldProblem => !!e && typeof e.field === 'string' && typeof e.message === 'string')
    : [];
  return new ApiError(
    response.status,
    typeof body.code === 'string' ? body.code : `http-${response.status}`,
    typeof body.title === 'string' ? body.title : response.statusText,
    typeof body.detail === 'string' ? body.detail : '',
    errors,
  );
}

/**
 * The API writes messages "中文。(English.)": the part for the reader's language.
 * A message in one language only is shown as it is.
 */
export function inLanguage(message: string, lang: 'zh' | 'en'): string {
  const match = /^([\s\S]*?)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)\s*$/.exec(message);
  if (!match || !/[\u4e00-\u9fff]/.test(match[1])) return message;
  return lang === 'en' ? match[2] : match[1];
}
