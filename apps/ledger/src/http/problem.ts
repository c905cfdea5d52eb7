/** RFC 9457 problem details, the body of every error answer. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly errors?: readonly FieldError[];
  readonly instance?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  417: 'Expectation Failed', 422: 'Unprocessable Content', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error', 503: 'Service Unavailable',
};

export const problemType = (code: string) => `https://haitang.example/problems/${code}`;

export function problem(status: number, code: string, detail: string, errors?: readonly FieldError[]): Problem {
  return { type: problemType(code), title: TITLES[status] ?? 'Error', status, detail, code, ...(errors ? { errors } : {}) };
}

/** Thrown anywhere in the HTTP layer to answer a given problem. */
export class ProblemException extends Error {
  constructor(readonly problem: Problem, readonly headers: Record<string, string> = {}) {
    super(problem.detail);
  }
}
