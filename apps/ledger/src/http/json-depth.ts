import { problem, ProblemException } from './problem';

/** No command body nests deeper than this; deeper JSON is refused before any validation runs. */
export const MAX_JSON_DEPTH = 16;

/** Refuses deeply nested JSON (an easy way to exhaust the stack of recursive validators). Iterative on purpose. */
export function assertShallowJson(body: unknown): void {
  if (body === null || typeof body !== 'object') return;
  const stack: [unknown, number][] = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) {
      throw new ProblemException(problem(400, 'json-too-deep', `提交的 JSON 嵌套过深（最多 ${MAX_JSON_DEPTH} 层）。(The JSON nests deeper than ${MAX_JSON_DEPTH} levels.)`));
    }
    for (const child of Object.values(value as object)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
}
