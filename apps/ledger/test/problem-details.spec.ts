import { toProblem } from '../src/http/problem-details.filter';

describe('problem details: whose fault an error is', () => {
  it('a client that went away mid-body is a 4xx, not a database outage', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toProblem(aborted).problem.status).toBe(400);
  });

  it('a lost database connection is 503 with Retry-After', () => {
    const lost = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const { problem, headers } = toProblem(lost);
    expect(problem.status).toBe(503);
    expect(headers).toMatchObject({ 'retry-after': '5' });
  });
});
