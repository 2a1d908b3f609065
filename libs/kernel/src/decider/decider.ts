/** What a decision may know besides the command and the state: the business time. */
export interface DecideContext {
  now: Date;
}

/**
 * A context's pure decider: `decide` turns a command and the current state into events (or
 * throws a `DomainError`), `evolve` folds one stored event into the state, and
 * `initialState` is the state of a stream with no events. Time comes in through the
 * context, ids with the command or the stored event: nothing is taken inside.
 */
export interface Decider<
  Command,
  Event,
  State,
  StoredEvent extends Event = Event & { id: string },
> {
  decide(command: Command, state: State, context: DecideContext): Event[];
  evolve(state: State, event: StoredEvent): State;
  readonly initialState: State;
}

/** Folds stored events, oldest first, from the decider's initial state (or `from`). */
export function fold<State, StoredEvent>(
  decider: { evolve(state: State, event: StoredEvent): State; readonly initialState: State },
  events: readonly StoredEvent[],
  from: State = decider.initialState,
): State {
  let state = from;
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
