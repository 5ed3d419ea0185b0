import type { AthosPersona } from '../redeem/Redemption.ts';
import type { AudioCodec, TransportKind } from '../transport/VoiceTransport.ts';
import type { Logger } from '../utils/logger.ts';
import type { SessionState } from './lifecycle.ts';

/** The audio codec a call runs on: `opus` where both sides can, `pcm16` otherwise. */
export type AthosCodec = AudioCodec;

/** What a call runs on: the kind of voice connection. */
export type AthosTransport = TransportKind;

/**
 * Everything a call screen renders about a session, as one immutable object: a new object
 * whenever a field changes, the same object otherwise, so `session.snapshot` can feed React's
 * `useSyncExternalStore` (with `session.subscribe`) or any other store directly.
 */
export interface SessionSnapshot {
  /** The lifecycle state. */
  readonly state: SessionState;
  /** Whether the rep is muted. */
  readonly muted: boolean;
  /** The persona, once the token is redeemed. */
  readonly persona: AthosPersona | undefined;
  /** The call id (`athos_call_…`), once the token is redeemed. */
  readonly callId: string | undefined;
  /** The voice connection, once the call is live. */
  readonly transport: AthosTransport | undefined;
  /** The audio codec, once the call is live. */
  readonly codec: AthosCodec | undefined;
  /** As the last `userSpeaking` event said. */
  readonly userSpeaking: boolean;
  /** As the last `personaSpeaking` event said. */
  readonly personaSpeaking: boolean;
  /** The speaker the persona plays on; `''` is the default output. */
  readonly speakerId: string;
  /** The persona's volume, 0–1. */
  readonly volume: number;
}

/**
 * The snapshot of a session that has not started (`state: 'idle'`): what a store shows before
 * the app has a session to subscribe to.
 */
export const ATHOS_IDLE_SNAPSHOT: SessionSnapshot = Object.freeze({
  state: 'idle',
  muted: false,
  persona: undefined,
  callId: undefined,
  transport: undefined,
  codec: undefined,
  userSpeaking: false,
  personaSpeaking: false,
  speakerId: '',
  volume: 1,
});

/**
 * Holds the current {@link SessionSnapshot} and tells subscribers when it changed. A
 * subscriber that throws is logged under `debug` and disturbs nothing.
 */
export class SnapshotStore {
  #value: SessionSnapshot = ATHOS_IDLE_SNAPSHOT;
  readonly #listeners = new Set<() => void>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** The current snapshot (frozen). */
  get value(): SessionSnapshot {
    return this.#value;
  }

  /** Applies `changes`; when any field differs, replaces the snapshot and notifies every subscriber. */
  update(changes: Partial<SessionSnapshot>): void {
    const changed = (Object.keys(changes) as Array<keyof SessionSnapshot>).some(
      (key) => !Object.is(changes[key], this.#value[key]),
    );
    if (!changed) return;
    this.#value = Object.freeze({ ...this.#value, ...changes });
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#logger.warn('a snapshot subscriber threw', error);
      }
    }
  }

  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
