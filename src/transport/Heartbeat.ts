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
   * Calls `then` once the thread that socket messages may be queued behind has got to it;
   * without it, after a zero timeout. In a Worker in Firefox, socket messages reach the Worker
   * through the page's main thread, so a main thread busy for seconds holds them back. An
   * answer slower than {@link BUSY_DRAIN_MS} earns the link a {@link BUSY_GRACE_MS} grace.
   */
  drain?: (then: () => void) => void;
}

/** Pings awaiting their pong; older ones are forgotten (their pongs were lost). */
const MAX_PENDING_PINGS = 8;

/**
 * A drain that takes longer than this was answered by a busy thread: messages it held back may
 * still be on their way (in Firefox they can reach the Worker just after the drain's answer).
 */
export const BUSY_DRAIN_MS = 50;

/** How long the link gets, after a busy drain, for what the thread held back to arrive. */
export const BUSY_GRACE_MS = 250;

/** Graces in a row at most, so that a thread that never frees up cannot hide a dead link. */
const MAX_BUSY_GRACES = 4;

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
  #busyGraces = 0;
  #stopped = false;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
    this.#pinger = setInterval(() => this.#ping(), options.intervalMs);
    this.#check();
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

  #silentFor(): number {
    return performance.now() - this.#options.lastHeardAt();
  }

  #check(): void {
    const silentFor = this.#silentFor();
    if (silentFor < SILENCE_LIMIT_MS) {
      this.#busyGraces = 0;
      this.#watchIn(SILENCE_LIMIT_MS - silentFor);
      return;
    }
    // This timer may have run late, ahead of messages that queued up while a thread was busy:
    // let them arrive before deciding.
    const drain = this.#options.drain ?? ((then: () => void) => setTimeout(then, 0));
    const askedAt = performance.now();
    drain(() => {
      if (!this.#stopped) this.#decide(performance.now() - askedAt);
    });
  }

  #decide(drainMs: number): void {
    if (this.#silentFor() < SILENCE_LIMIT_MS) {
      this.#check();
    } else if (drainMs > BUSY_DRAIN_MS && this.#busyGraces < MAX_BUSY_GRACES) {
      this.#busyGraces++;
      this.#watchIn(BUSY_GRACE_MS);
    } else {
      this.stop();
      this.#options.onSilence();
    }
  }

  #watchIn(ms: number): void {
    this.#watch = setTimeout(() => this.#check(), ms);
  }
}
