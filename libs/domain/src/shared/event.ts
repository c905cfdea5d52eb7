/**
 * An event is plain data: a stable, versioned type name and a payload.
 * Type names are strings like `ActivityPlanned.v1`, never derived from class names,
 * so renaming code never changes what is stored.
 */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly data: TData;
}

export type Role = 'admin' | 'official' | 'staff' | 'volunteer' | 'system';

/** Who caused an event. Carried in every event's metadata. */
export interface Actor {
  readonly id: string;
  readonly role: Role;
  readonly orgUnitId: string | null;
  /** For a volunteer acting for themselves (a self-report): who. */
  readonly volunteerId?: string;
}

/** Metadata stored with every event (DESIGN §3). */
export interface EventMetadata {
  readonly eventId: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  /** When it happened in the world (ISO-8601 UTC), e.g. the check-in time. */
  readonly occurredAt: string;
  /** When the ledger accepted it (ISO-8601 UTC). */
  readonly recordedAt: string;
}

/**
 * A pure decider: `decide` turns a command and the current state into new events
 * (or throws a DomainError); `evolve` folds events into state.
 */
export interface Decider<TCommand, TEvent extends DomainEvent, TState, TContext = DecisionContext> {
  readonly initialState: TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState, context: TContext): TEvent[];
}

/** What every decision may know about the world besides its own stream. */
export interface DecisionContext {
  /** The ledger's clock at the time of the decision. */
  readonly now: Date;
}

export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState, never>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
): TState {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
