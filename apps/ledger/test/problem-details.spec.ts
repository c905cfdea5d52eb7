import { StoreUnavailableError } from '@haitang/event-store';
import { toProblem } from '../src/http/problem-details.filter';

/** Storage failures are 503; what a client causes stays 4xx, even when it looks like a network error. */
describe('problem details for storage failures', () => {
  it('answers 503 when a PostgreSQL store cannot be reached', () => {
    const terminated = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });
    expect(toProblem(terminated).problem).toMatchObject({ status: 503, code: 'store-unavailable' });
    expect(toProblem(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })).problem.status).toBe(503);
  });

  it('says "nothing was recorded" only when that is known, and asks to check first when it is not', () => {
    const refused = toProblem(new StoreUnavailableError('disk full'));
    expect(refused).toMatchObject({ problem: { status: 503, code: 'store-unavailable' }, headers: { 'retry-after': '5' } });
    expect(refused.problem.detail).toContain('nothing was recorded');
    const lost = toProblem(new StoreUnavailableError('connection lost during COMMIT', undefined, 'unknown'));
    expect(lost).toMatchObject({ problem: { status: 503, code: 'outcome-unknown' }, headers: { 'retry-after': '5' } });
    expect(lost.problem.detail).not.toContain('nothing was recorded');
    expect(lost.problem.detail).toContain('not known whether the change was recorded');
  });

  it('keeps a request the client aborted a 400, not a storage failure', () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });
    expect(toProblem(aborted).problem.status).toBe(400);
  });

  it('keeps anything else a 500', () => {
    expect(toProblem(new Error('a bug')).problem.status).toBe(500);
  });
});
