import { StoreUnavailableError } from '@haitang/event-store';
import { CommandGateway } from '../src/command-pipeline/command-gateway';

const context = {
  commandId: 'key-1', fingerprint: 'f', correlationId: 'c', now: new Date(),
  actor: { id: 'staff-1', role: 'staff', orgUnitId: 'c1' },
};
const message = { context, command: { type: 'RecordService' } } as never;
const logger = { info: () => undefined } as never;

/** The gateway over a command bus that fails with `failure` and a store whose receipt lookup answers `receipt`. */
const gateway = (failure: Error, receipt: () => Promise<unknown>) =>
  new CommandGateway({ execute: () => Promise.reject(failure) } as never, { getReceipt: receipt } as never, logger);

describe('command gateway: a command the store failed', () => {
  it('answers the command\'s own failure when the receipt cannot be looked up either (it says whether anything was recorded)', async () => {
    const lost = new StoreUnavailableError('connection lost during COMMIT', undefined, 'unknown');
    const outcome = gateway(lost, () => Promise.reject(new StoreUnavailableError('The event store cannot be reached.'))).execute(message);
    await expect(outcome).rejects.toBe(lost);
  });

  it('answers the first answer when the receipt shows the command was recorded after all', async () => {
    const receipt = { commandId: 'key-1', fingerprint: 'f', result: { recordId: 'r1' }, position: 7 };
    const outcome = gateway(new StoreUnavailableError('lost', undefined, 'unknown'), () => Promise.resolve(receipt)).execute(message);
    await expect(outcome).resolves.toMatchObject({ result: { recordId: 'r1' }, position: 7, replayed: true });
  });
});
