import { DomainError, type Decider, type DomainEvent } from '../src';

/**
 * Given events / when command / then events (or then a refusal), in the style of
 * Emmett's DeciderSpecification. No Nest, no storage: the decider alone.
 *
 *   spec(activityDecider).given([planned]).when(checkIn, ctx).then([checkedIn]);
 *   spec(activityDecider).given([cancelled]).when(checkIn, ctx).thenRefuses('activity-cancelled', 'conflict');
 */
export function spec<C, E extends DomainEvent, S, Ctx>(decider: Decider<C, E, S, Ctx>) {
  return {
    given(events: readonly E[]) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      return {
        state,
        when(command: C, context: Ctx) {
          const run = () => decider.decide(command, state, context);
          return {
            then(expected: readonly E[]) {
              expect(run()).toEqual(expected);
            },
            thenEvents(): E[] {
              return run();
            },
            thenRefuses(code: string, kind?: DomainError['kind']) {
              let caught: unknown;
              try {
                run();
              } catch (error) {
                caught = error;
              }
              expect(caught).toBeInstanceOf(DomainError);
              expect((caught as DomainError).code).toBe(code);
              if (kind) expect((caught as DomainError).kind).toBe(kind);
            },
          };
        },
      };
    },
  };
}
