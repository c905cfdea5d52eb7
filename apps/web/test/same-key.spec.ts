import { api, command } from '../src/api/client';

type Reply = 'network failure' | { status: number; body: object };

/** A fetch that answers the given replies in turn and keeps the Idempotency-Key and body of each request. */
function ledger(...replies: Reply[]) {
  const seen: { key: string | null; body: string }[] = [];
  const fetch = async (request: Request) => {
    seen.push({ key: request.headers.get('idempotency-key'), body: await request.text() });
    const reply = replies.shift()!;
    if (reply === 'network failure') throw new TypeError('fetch failed');
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': reply.status < 300 ? 'application/json' : 'application/problem+json' } });
  };
  return { fetch, seen };
}

const report = (via: ReturnType<typeof ledger>, minutes: number) => command((headers) => api.POST('/api/v1/volunteers/{id}/service-reports' as never, {
  baseUrl: 'http://ledger.test', fetch: via.fetch, headers, params: { path: { id: 'v-1' } }, body: { category: 'errand-escort', serviceDate: '2026-11-20', minutes },
} as never) as never);

describe('the console sending again a command whose outcome was lost', () => {
  it('uses the key of the first sending for the very same request, and a new key for another one', async () => {
    const lost = ledger('network failure', 'network failure', 'network failure');
    await expect(report(lost, 90)).rejects.toMatchObject({ status: 0 });
    expect(new Set(lost.seen.map((r) => r.key)).size).toBe(1);

    // The user sends the same report again once the network is back: the ledger can answer the first answer.
    const again = ledger({ status: 201, body: { recordId: 'r-1', position: 5 } });
    await expect(report(again, 90)).resolves.toMatchObject({ recordId: 'r-1' });
    expect(again.seen[0].key).toBe(lost.seen[0].key);

    // Known now: the next identical report is a new one, with a new key; so is a different report.
    const next = ledger({ status: 201, body: { recordId: 'r-2', position: 6 } }, { status: 201, body: { recordId: 'r-3', position: 7 } });
    await report(next, 90);
    await report(next, 60);
    expect(next.seen[0].key).not.toBe(lost.seen[0].key);
    expect(next.seen[1].key).not.toBe(next.seen[0].key);
  });

  it('forgets a key once the ledger said nothing was recorded', async () => {
    const refused = ledger({ status: 422, body: { status: 422, code: 'too-long', detail: 'x' } });
    await expect(report(refused, 2000)).rejects.toMatchObject({ status: 422 });
    const later = ledger({ status: 201, body: { recordId: 'r-4', position: 8 } });
    await report(later, 2000);
    expect(later.seen[0].key).not.toBe(refused.seen[0].key);
  });
});
