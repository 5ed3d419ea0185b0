import type { PartContext } from '../browser/PartContext.ts';
import { closeWorkletGraph } from './closeWorkletGraph.ts';
import { loadWorklet } from './loadWorklet.ts';

/**
 * The one AudioContext of a call, shared by the microphone's capture and the persona's
 * playback, with the SDK's worklet module loaded into it once. A second context would cost a
 * second audio thread, output stream and module load while `connect()` is waiting for them.
 *
 * Each user {@link CallAudio.open}s it, builds its worklet node in it, and
 * {@link CallAudio.release}s it with that node when it stops; the context closes once the last
 * user released it, after every processor confirmed it stopped (see `closeWorkletGraph`).
 * Opening creates the context at once: whoever may not start audio yet (no user gesture)
 * resumes it later.
 */
export class CallAudio {
  readonly #context: PartContext;
  readonly #worklets: AudioWorkletNode[] = [];
  #audioContext: AudioContext | undefined;
  #opened: Promise<AudioContext> | undefined;
  #users = 0;
  #closed = false;

  /** @param context - the browser seam, the logger and the `workletUrl` option. */
  constructor(context: PartContext) {
    this.#context = context;
  }

  /**
   * The call's AudioContext once the worklet module is loaded in it; counts one user, who must
   * {@link CallAudio.release} it whether this resolves or not. Rejects with `INTERNAL_ERROR`
   * (phase `media`) when the module cannot be loaded. Once the last user released it, the
   * context it gives is closed.
   */
  open(): Promise<AudioContext> {
    this.#users += 1;
    this.#opened ??= this.#create();
    return this.#opened;
  }

  /**
   * Hands back one user's hold, with the worklet node it ran in the context (if any): its
   * messages are no longer heard, and it is stopped with the others when the last user
   * releases. Call it once per {@link CallAudio.open}.
   */
  release(worklet?: AudioWorkletNode): void {
    if (worklet) {
      worklet.port.onmessage = null;
      this.#worklets.push(worklet);
    }
    this.#users -= 1;
    if (this.#users > 0 || this.#closed) return;
    this.#closed = true;
    // A module still loading has no node yet: the context closes at once, and the load fails.
    if (this.#audioContext) closeWorkletGraph(this.#audioContext, this.#worklets);
  }

  async #create(): Promise<AudioContext> {
    const audioContext = new this.#context.env.AudioContext();
    this.#audioContext = audioContext;
    try {
      await loadWorklet(audioContext, this.#context);
      return audioContext;
    } catch (error) {
      audioContext.close().catch(() => undefined);
      throw error;
    }
  }
}
