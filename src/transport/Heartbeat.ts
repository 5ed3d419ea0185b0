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
  /**
   * Calls `then` once messages that may be queued behind a busy thread have arrived; without it,
   * after a zero timeout. In a Worker in Firefox, socket messages reach the Worker through the
   * page's main thread, so a main thread busy for seconds holds them back.
   */
  drain?: (then: () => void) => void;
}

/** Pings awaiting their pong; older ones are forgotten (their pongs were lost). */
const MAX_PENDING_PINGS = 8;

/**
 * The client's half of the heartbeat on one live socket: pings the gateway every
 * `intervalMs`, measures the round trip of each ping when its pong comes back, and reports
 * when nothing has arrived for {@link SILENCE_LIMIT_MS}. Starts when constructed.
 */
export class Heartbeat {
  readonly #options: HeartbeatOptions;
  readonly #pinger: ReturnType<typeof setInterval>;
  /** When each unanswered ping was sent, in `performance.now()` ms, by id. */
  readonly #sentAt = new Map<number, number>();
  #watch: ReturnType<typeof setTimeout> | undefined;
  #nextPingId = 1;
  #stopped = false;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#pinger = setInterval(() => this.#ping(), options.intervalMs);
    this.#check(false);
  }

  /**
   * The gateway answered ping `id`: returns the round-trip time in ms, or `undefined` for a
   * pong that answers no ping of this heartbeat (unknown, repeated or forgotten).
   */
  pong(id: number | undefined): number | undefined {
    const sentAt = id === undefined ? undefined : this.#sentAt.get(id);
    if (sentAt === undefined) return undefined;
    this.#sentAt.delete(id as number);
    return performance.now() - sentAt;
  }

  /** Stops pinging and watching. Idempotent. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#pinger);
    clearTimeout(this.#watch);
  }

  #ping(): void {
    const id = this.#nextPingId++;
    this.#sentAt.set(id, performance.now());
    if (this.#sentAt.size > MAX_PENDING_PINGS) this.#sentAt.delete(id - MAX_PENDING_PINGS);
    this.#options.ping(id);
  }

  #check(drained: boolean): void {
    const silentFor = performance.now() - this.#options.lastHeardAt();
    if (silentFor < SILENCE_LIMIT_MS) {
      this.#watchIn(SILENCE_LIMIT_MS - silentFor, false);
    } else if (!drained) {
      // This timer may have run late, ahead of messages that queued up while a thread was
      // busy: let them arrive before deciding.
      const drain = this.#options.drain ?? ((then: () => void) => setTimeout(then, 0));
      drain(() => {
        if (!this.#stopped) this.#check(true);
      });
    } else {
      this.stop();
      this.#options.onSilence();
    }
  }

  #watchIn(ms: number, drained: boolean): void {
    this.#watch = setTimeout(() => this.#check(drained), ms);
  }
}
