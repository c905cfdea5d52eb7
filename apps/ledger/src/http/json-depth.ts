import { problem, ProblemException } from './problem';

/** No command body nests deeper than this; deeper JSON is refused before any validation runs. */
export const MAX_JSON_DEPTH = 16;

const wellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * Refuses deeply nested JSON (an easy way to exhaust the stack of recursive
 * validators) and text that is not valid Unicode (a lone surrogate would be
 * stored in the log but turn into "�" in the read models) or holds a NUL
 * character (no text of Haitang's has one, and PostgreSQL cannot store one).
 * Iterative on purpose.
 */
export function assertShallowJson(body: unknown): void {
  if (typeof body === 'string') return assertWellFormed(body);
  if (body === null || typeof body !== 'object') return;
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      throw new ProblemException(problem(400, 'json-too-deep', `提交的 JSON 嵌套过深（最多 ${MAX_JSON_DEPTH} 层）。(The JSON nests deeper than ${MAX_JSON_DEPTH} levels.)`));
    }
    for (const [key, child] of Object.entries(value as object)) {
      assertWellFormed(key);
      if (typeof child === 'string') assertWellFormed(child);
      else if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}

function assertWellFormed(text: string): void {
  if (!wellFormed(text)) {
    throw new ProblemException(problem(400, 'malformed-text', '提交的文字包含无效字符，请重新输入。(The text contains invalid Unicode: a lone surrogate.)'));
  }
  if (text.includes('\u0000')) {
    throw new ProblemException(problem(400, 'malformed-text', '提交的文字包含空字符，请重新输入。(The text contains a NUL character.)'));
  }
}

/** The same for the query string's and the path's values (a `%00` in a username, say). */
export function assertCleanTextValues(values: unknown): void {
  if (values === null || typeof values !== 'object') return;
  for (const value of Object.values(values as object)) {
    if (typeof value === 'string') assertWellFormed(value);
    else if (Array.isArray(value)) for (const item of value) if (typeof item === 'string') assertWellFormed(item);
  }
}
