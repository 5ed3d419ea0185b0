/**
 * The session's state, as seen through `session.state`.
 *
 * `idle → connecting → connected ⇄ reconnecting → ended`, with `ended` terminal.
 */
export type SessionState = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

/** What can happen to a session. */
export type LifecycleEvent = 'connect' | 'live' | 'drop' | 'recover' | 'end';

/**
 * The whole lifecycle as one table: for each state, the events it accepts and where each leads.
 * An event missing from a row is not allowed in that state.
 */
export const TRANSITIONS: Readonly<Record<SessionState, Readonly<Partial<Record<LifecycleEvent, SessionState>>>>> = Object.freeze(
  {
    idle: { connect: 'connecting' },
    connecting: { live: 'connected', end: 'ended' },
    connected: { drop: 'reconnecting', end: 'ended' },
    reconnecting: { recover: 'connected', end: 'ended' },
    ended: {},
  },
);

/** Called on every transition, after the state changed. */
export type TransitionListener = (state: SessionState, previous: SessionState) => void;

/**
 * Holds the current state and moves it only along {@link TRANSITIONS}; every move is reported
 * to the listener, so there is one place where transitions happen and are announced.
 */
export class Lifecycle {
  #state: SessionState = 'idle';
  readonly #onTransition: TransitionListener;

  /** @param onTransition - told of every transition, synchronously, once the state changed. */
  constructor(onTransition: TransitionListener = () => undefined) {
    this.#onTransition = onTransition;
  }

  /** The current state. */
  get state(): SessionState {
    return this.#state;
  }

  /** Whether `event` is allowed now. */
  can(event: LifecycleEvent): boolean {
    return TRANSITIONS[this.#state][event] !== undefined;
  }

  /**
   * Applies `event`. Returns `true` when the state changed (the listener has then been told),
   * `false` when the event is not allowed in the current state (the state is then unchanged).
   */
  apply(event: LifecycleEvent): boolean {
    const next = TRANSITIONS[this.#state][event];
    if (next === undefined) return false;
    const previous = this.#state;
    this.#state = next;
    this.#onTransition(next, previous);
    return true;
  }
}
