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
  type CaptureFrame,
  type CaptureMessage,
  CLEAR_COMMAND,
  COUNTERS_INTERVAL_MS,
  type LinkCommand,
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackFeed,
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
 * What both processors share: the link to the Worker, and the stop handshake. After `'stop'`,
 * `process()` returns `false` once and confirms with `'stopped'`, so that Chromium can free the
 * node and its context; the link is closed then.
 */
abstract class LinkedProcessor extends AudioWorkletProcessor {
  protected link: MessagePort | undefined;
  #stopping = false;

  /** Handles a command that is neither the stop command nor the link. */
  protected abstract command(data: unknown): void;
  /** Renders one quantum while running. */
  protected abstract render(inputs: Float32Array[][], outputs: Float32Array[][]): void;

  constructor() {
    super();
    this.port.onmessage = ({ data }: MessageEvent) => {
      if (data === STOP_COMMAND) this.#stopping = true;
      else if (typeof data === 'object' && 'link' in data) this.linked((data as LinkCommand).link);
      else this.command(data);
    };
  }

  /** Keeps the port to the Worker. */
  protected linked(link: MessagePort): void {
    this.link = link;
  }

  process(inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    if (this.#stopping) {
      this.link?.close();
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
  class extends LinkedProcessor {
    readonly #pipeline: CapturePipeline;
    #muted = false;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      const post = (message: CaptureMessage) => this.port.postMessage(message);
      this.#pipeline = new CapturePipeline(processorOptions.sampleRate, {
        onFrame: (frame: CaptureFrame) => this.link?.postMessage(frame, [frame]),
        onSpeakingChange: (speaking) => post({ speaking }),
      });
    }

    protected command(data: Exclude<CaptureCommand, typeof STOP_COMMAND | LinkCommand>): void {
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
  class extends LinkedProcessor {
    readonly #pipeline: PlaybackPipeline;
    /** Render quanta (128 samples) between two reports of the counters. */
    readonly #countersEvery: number;
    #quanta = 0;
    #reported = '';
    #blocked = false;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      this.#pipeline = new PlaybackPipeline(processorOptions.sampleRate, (speaking) => this.#post({ speaking }));
      this.#countersEvery = Math.max(1, Math.round((processorOptions.sampleRate * COUNTERS_INTERVAL_MS) / 1000 / 128));
    }

    protected override linked(link: MessagePort): void {
      super.linked(link);
      link.onmessage = ({ data }: MessageEvent<PlaybackFeed>) => {
        if (data === CLEAR_COMMAND) this.#pipeline.clear();
        else if (!this.#blocked) this.#pipeline.push(data);
      };
    }

    protected command(data: Exclude<PlaybackCommand, typeof STOP_COMMAND | LinkCommand>): void {
      this.#blocked = data.blocked;
      if (data.blocked) this.#pipeline.clear();
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
      this.#post({ counters });
    }

    #post(message: PlaybackMessage): void {
      this.port.postMessage(message);
    }
  },
);
