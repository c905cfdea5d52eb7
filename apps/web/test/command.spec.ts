// The console's client module creates an openapi-fetch client at load; these tests call `command` with their own `send`.
jest.mock('openapi-fetch', () => ({ __esModule: true, default: () => ({ use: () => undefined }) }));

import { command } from '../src/api/client';
import { ApiError } from '../src/api/problem';

type Answer = { data?: { position: number }; error?: unknown; response: Response };
const problemAnswer = (status: number, code: string): Answer => ({ error: { status, code, detail: code }, response: new Response(null, { status }) });
const ok = (position: number): Answer => ({ data: { position }, response: new Response(null, { status: 201 }) });

/** A `send` that answers the given answers in turn and remembers the Idempotency-Key of each try. */
function sender(...answers: (Answer | 'network failure')[]) {
  const keys: string[] = [];
  const send = (headers: { 'idempotency-key': string }) => {
    keys.push(headers['idempotency-key']);
    const answer = answers.shift()!;
    return answer === 'network failure' ? Promise.reject(new TypeError('fetch failed')) : Promise.resolve(answer);
  };
  return { send, keys };
}

describe('the console sending a command', () => {
  it('sends it again with the same key after a 503 whose outcome is unknown, and answers what the ledger answers then', async () => {
    const { send, keys } = sender(problemAnswer(503, 'outcome-unknown'), ok(7));
    await expect(command(send)).resolves.toEqual({ position: 7 });
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('gives up after 3 tries and shows the ledger\'s problem', async () => {
    const { send, keys } = sender(problemAnswer(503, 'store-unavailable'), problemAnswer(503, 'store-unavailable'), problemAnswer(503, 'outcome-unknown'));
    const error = await command(send).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: 'outcome-unknown' });
    expect(new Set(keys).size).toBe(1);
    expect(keys).toHaveLength(3);
  });

  it('says it is not known whether it was recorded when an earlier try may have been, though the last one was not', async () => {
    const { send, keys } = sender(problemAnswer(503, 'outcome-unknown'), problemAnswer(503, 'store-unavailable'), problemAnswer(503, 'store-unavailable'));
    await expect(command(send)).rejects.toMatchObject({ status: 503, code: 'outcome-unknown' });
    expect(keys).toHaveLength(3);
    const afterNetwork = sender('network failure', problemAnswer(503, 'store-unavailable'), problemAnswer(503, 'store-unavailable'));
    await expect(command(afterNetwork.send)).rejects.toMatchObject({ code: 'outcome-unknown' });
  });

  it('does not send again what the ledger refused', async () => {
    const { send, keys } = sender(problemAnswer(409, 'already-checked-in'), ok(1));
    await expect(command(send)).rejects.toMatchObject({ status: 409 });
    expect(keys).toHaveLength(1);
  });
});
