/** How long the gateway may stay silent before the link counts as dead. */
export const SILENCE_LIMIT_MS = 2_500;

/** What a {@link Heartbeat} needs from the live socket it watches. */
export interface HeartbeatOptions {
  /** How often to ping the gateway (its `heartbeatMs`). */
  intervalMs: number;
  /** When anything last arrived from the gateway, in `performance.now()` milliseconds. */
  lastHeardAt: () => number;
  /** Sends one `ping` with this id. */
  ping: (id: number) => void;
  /** The gateway was silent for {@link SILENCE_LIMIT_MS}; the heartbeat has stopped. */
  onSilence: () => void;
}

/**
 * The client's half of the heartbeat on one live socket: pings the gateway every
 * `intervalMs` and reports when nothing has arrived for {@link SILENCE_LIMIT_MS}. Starts when
 * constructed.
 */
export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #pinger: ReturnType<typeof setInterval>;
  #watch: ReturnType<typeof setTimeout> | undefined;
  #nextPingId = 1;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#pinger = setInterval(() => options.ping(this.#nextPingId++), options.intervalMs);
    this.#check(false);
  }

  /** Stops pinging and watching. Idempotent. */
  stop(): void {
    clearInterval(this.#pinger);
    clearTimeout(this.#watch);
  }

  #check(drained: boolean): void {
    const silentFor = performance.now() - this.#options.lastHeardAt();
    if (silentFor < SILENCE_LIMIT_MS) {
      this.#watchIn(SILENCE_LIMIT_MS - silentFor, false);
    } else if (!drained) {
      // This timer may have run late, ahead of messages that queued up while the main thread
      // was busy: let them arrive before deciding.
      this.#watchIn(0, true);
    } else {
      this.stop();
      this.#options.onSilence();
    }
  }

  #watchIn(ms: number, drained: boolean): void {
    this.#watch = setTimeout(() => this.#check(drained), ms);
  }
}
