import { ATHOS_IDLE_SNAPSHOT, AthosRoleplayError, create, type RoleplaySession } from '@useathos/sdk';
import type { RoleplaySessionActions, RoleplaySessionView, UseRoleplaySessionOptions } from './types.ts';

/** The view before the first call: what a session that has not started shows. */
export const IDLE_VIEW: RoleplaySessionView = Object.freeze({
  ...ATHOS_IDLE_SNAPSHOT,
  error: undefined,
  ended: undefined,
  session: undefined,
});

/**
 * The calls of one component, without React: a new session per call, built only on the SDK's
 * public API; one frozen {@link RoleplaySessionView} (for `useSyncExternalStore`) replaced on
 * every change; and the end of the call when the component goes away for good.
 *
 * A component may be unmounted and mounted again at once (React's `StrictMode` does it to every
 * component in development, and so may React when it hides and shows a subtree). So an unmount
 * only schedules the end of the call, and a mount that follows before it runs cancels it: the
 * call, its token and its microphone live on, and there is never a second one.
 */
export class CallController implements RoleplaySessionActions {
  #options: UseRoleplaySessionOptions;
  #view: RoleplaySessionView = IDLE_VIEW;
  readonly #listeners = new Set<() => void>();
  #session: RoleplaySession | undefined;
  #started: Promise<void> = Promise.resolve();
  #mounts = 0;
  #autoConnected = false;
  #pendingEnd: ReturnType<typeof setTimeout> | undefined;

  constructor(options: UseRoleplaySessionOptions) {
    this.#options = options;
  }

  /** The options the next call starts with. */
  setOptions(options: UseRoleplaySessionOptions): void {
    this.#options = options;
  }

  /** The current view; the same object until something changes. */
  readonly getView = (): RoleplaySessionView => this.#view;

  /** Calls `listener` after every change of the view; returns the function that stops it. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  /** The component mounted: keeps a call an unmount was about to end, and auto-connects once. */
  mount(): void {
    this.#mounts += 1;
    clearTimeout(this.#pendingEnd);
    this.#pendingEnd = undefined;
    if (this.#options.autoConnect === true && !this.#autoConnected) {
      this.#autoConnected = true;
      void this.connect();
    }
  }

  /** The component unmounted: the call ends unless it mounts again first (see the class comment). */
  unmount(): void {
    this.#mounts -= 1;
    if (this.#mounts > 0) return;
    this.#pendingEnd = setTimeout(() => {
      this.#pendingEnd = undefined;
      void this.disconnect();
    }, 0);
  }

  readonly connect = (): Promise<void> => {
    const current = this.#session?.state;
    if (current === 'connecting' || current === 'connected' || current === 'reconnecting') return this.#started;
    const { autoConnect: _autoConnect, ...options } = this.#options;
    let session: RoleplaySession;
    try {
      session = create(options);
    } catch (error) {
      if (!AthosRoleplayError.is(error)) throw error;
      this.#session = undefined;
      this.#publish({ ...IDLE_VIEW, error });
      return Promise.resolve();
    }
    this.#session = session;
    let error: AthosRoleplayError | undefined;
    let ended: RoleplaySessionView['ended'];
    const publish = () => {
      if (this.#session === session) this.#publish({ ...session.snapshot, error, ended, session });
    };
    session.subscribe(publish);
    session.on('error', (value) => {
      error = value;
      publish();
    });
    session.on('ended', (value) => {
      ended = value;
      publish();
    });
    publish();
    // A failure is reported through `error`; this promise only says when the start is over.
    this.#started = session.connect().catch(() => undefined);
    return this.#started;
  };

  readonly disconnect = (): Promise<void> => this.#session?.disconnect() ?? Promise.resolve();

  readonly mute = async (): Promise<void> => {
    await this.#live('mute').mute();
  };

  readonly unmute = async (): Promise<void> => {
    await this.#live('unmute').unmute();
  };

  readonly resumeAudio = async (): Promise<void> => {
    await this.#session?.resumeAudio();
  };

  readonly getInputLevel = (): number => this.#session?.getInputLevel() ?? 0;

  readonly getOutputLevel = (): number => this.#session?.getOutputLevel() ?? 0;

  /** The session, for a method that needs a call; the SDK itself rejects when that call is not live. */
  #live(method: string): RoleplaySession {
    if (this.#session) return this.#session;
    throw new AthosRoleplayError('INVALID_REQUEST', `${method}() needs a live call; call connect() first.`, {
      phase: 'call',
      retryable: false,
    });
  }

  #publish(view: RoleplaySessionView): void {
    this.#view = Object.freeze(view);
    for (const listener of [...this.#listeners]) listener();
  }
}
