import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, type DomainEvent } from '@haitang/domain';
import { SqliteEventStore } from '@haitang/event-store';
import type { CommandContext } from '../src/command-pipeline/command-context';
import { retriesCounter } from '../src/command-pipeline/command-metrics';
import { DecisionRunner, type Load, NEW } from '../src/command-pipeline/decision-runner';

/** A tiny decider: a thing is created once; creating it again is refused. */
type Created = DomainEvent<'ThingCreated.v1', { id: string }>;
const things = {
  initialState: { exists: false },
  evolve: (_state: { exists: boolean }, _event: Created) => ({ exists: true }),
};
function create(load: Load, id: string, hint?: typeof NEW) {
  return load(things, `thing-${id}`, hint).then((stream) => {
    if (stream.state.exists) throw new DomainError('thing-exists', 'conflict', '已经存在。(Already exists.)');
    return { appends: [{ stream, events: [{ type: 'ThingCreated.v1', data: { id } } as Created] }], result: { id } };
  });
}

let n = 0;
function context(): CommandContext {
  n += 1;
  return {
    commandId: `cmd-${n}`, fingerprint: `fp-${n}`, correlationId: `corr-${n}`,
    actor: { id: 'tester', role: 'admin', orgUnitId: null }, now: new Date(),
  };
}

describe('DecisionRunner: streams the caller says are new', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'haitang-runner-'));
    store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), writerThread: false });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends a new stream without reading it first', async () => {
    const reads = jest.spyOn(store, 'readStream');
    const runner = new DecisionRunner(store);
    const outcome = await runner.run(context(), (load) => create(load, 'a', NEW));
    expect(outcome.result).toEqual({ id: 'a' });
    expect(reads).not.toHaveBeenCalled();
    expect((await store.readStream('thing-a')).map((e) => e.type)).toEqual(['ThingCreated.v1']);
  });

  it('a wrong "new" hint is caught by the append and the decision is made again on the real stream', async () => {
    await new DecisionRunner(store).run(context(), (load) => create(load, 'b'));
    // Another runner (another process) knows nothing about thing-b and trusts the hint.
    const runner = new DecisionRunner(store);
    const retriesBefore = (await retriesCounter.get()).values[0]?.value ?? 0;
    await expect(runner.run(context(), (load) => create(load, 'b', NEW))).rejects.toMatchObject({ code: 'thing-exists' });
    expect(await store.readStream('thing-b')).toHaveLength(1);
    // Counted on /metrics as a command decided again.
    expect((await retriesCounter.get()).values[0]?.value).toBe(retriesBefore + 1);
  });
});
