/**
 * The audio worklet module of the SDK: registers the capture and the playback processors.
 *
 * This file is the worklet's single entry. The SDK bundles it (with its imports) into a string
 * loaded through a Blob URL; a build step can also emit it as a file for sites whose
 * Content-Security-Policy forbids `blob:` (the `workletUrl` option).
 */
import { CapturePipeline } from './CapturePipeline.ts';
import { PlaybackPipeline } from './PlaybackPipeline.ts';
import {
  CAPTURE_PROCESSOR,
  type CaptureCommand,
  type CaptureMessage,
  COUNTERS_INTERVAL_MS,
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackMessage,
  type ProcessorOptions,
  STOP_COMMAND,
  STOPPED_MESSAGE,
} from './protocol.ts';

// The AudioWorkletGlobalScope, which lib.dom does not describe.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

/**
 * What both processors share: the stop handshake. After `'stop'`, `process()` returns `false`
 * once and confirms with `'stopped'`, so that Chromium can free the node and its context.
 */
abstract class StoppableProcessor extends AudioWorkletProcessor {
  #stopping = false;

  /** Handles a command that is not the stop command. */
  protected abstract command(data: unknown): void;
  /** Renders one quantum while running. */
  protected abstract render(inputs: Float32Array[][], outputs: Float32Array[][]): void;

  constructor() {
    super();
    this.port.onmessage = ({ data }: MessageEvent) => {
      if (data === STOP_COMMAND) this.#stopping = true;
      else this.command(data);
    };
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.#stopping) {
      this.port.postMessage(STOPPED_MESSAGE);
      return false;
    }
    this.render(inputs, outputs);
    return true;
  }
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions: ProcessorOptions }) => AudioWorkletProcessor,
): void;

registerProcessor(
  CAPTURE_PROCESSOR,
  class extends StoppableProcessor {
    readonly #pipeline: CapturePipeline;
    #muted = false;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      const post = (message: CaptureMessage, transfer: Transferable[] = []) => this.port.postMessage(message, transfer);
      this.#pipeline = new CapturePipeline(processorOptions.sampleRate, {
        onFrame: (frame) => post(frame, [frame]),
        onSpeakingChange: (speaking) => post({ speaking }),
      });
    }

    protected command(data: Exclude<CaptureCommand, typeof STOP_COMMAND>): void {
      this.#muted = data.muted;
      this.#pipeline.reset();
    }

    protected render(inputs: Float32Array[][]): void {
      const channel = inputs[0]?.[0];
      if (channel && !this.#muted) this.#pipeline.push(channel);
    }
  },
);

registerProcessor(
  PLAYBACK_PROCESSOR,
  class extends StoppableProcessor {
    readonly #pipeline: PlaybackPipeline;
    /** Render quanta (128 samples) between two reports of the counters. */
    readonly #countersEvery: number;
    #quanta = 0;
    #reported = '';
    #clears = 0;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      this.#pipeline = new PlaybackPipeline(processorOptions.sampleRate, (speaking) => {
        const message: PlaybackMessage = { speaking, clears: this.#clears };
        this.port.postMessage(message);
      });
      this.#countersEvery = Math.max(1, Math.round((processorOptions.sampleRate * COUNTERS_INTERVAL_MS) / 1000 / 128));
    }

    protected command(data: Exclude<PlaybackCommand, typeof STOP_COMMAND>): void {
      if (data === 'clear') {
        this.#clears += 1;
        this.#pipeline.clear();
      } else {
        this.#pipeline.push(data);
      }
    }

    protected render(_inputs: Float32Array[][], outputs: Float32Array[][]): void {
      const channel = outputs[0]?.[0];
      if (channel) this.#pipeline.render(channel);
      this.#quanta += 1;
      if (this.#quanta % this.#countersEvery === 0) this.#reportCounters();
    }

    #reportCounters(): void {
      const counters = this.#pipeline.counters();
      const key = `${counters.depth},${counters.late},${counters.concealed}`;
      if (key === this.#reported) return;
      this.#reported = key;
      const message: PlaybackMessage = { counters };
      this.port.postMessage(message);
    }
  },
);
