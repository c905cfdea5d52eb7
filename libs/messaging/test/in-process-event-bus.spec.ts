import { InProcessBroker, InProcessEventBus } from '../src';
import { eventBusContract, type EventBusFixture } from './event-bus.contract';

/** The reference adapter: one broker per test; reopening connects a new bus to the same broker. */
async function inProcessFixture(): Promise<EventBusFixture> {
  const broker = new InProcessBroker();
  let bus = new InProcessEventBus(broker);
  return {
    bus,
    async reopen() {
      await bus.close();
      bus = new InProcessEventBus(broker);
      return bus;
    },
    async cleanup() {
      await bus.close();
    },
  };
}

eventBusContract('in-process', inProcessFixture);
