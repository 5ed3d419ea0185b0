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
  PLAYBACK_PROCESSOR,
  type PlaybackCommand,
  type PlaybackMessage,
  type ProcessorOptions,
} from './protocol.ts';

// The AudioWorkletGlobalScope, which lib.dom does not describe.
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(
  name: string,
  processor: new (options: { processorOptions: ProcessorOptions }) => AudioWorkletProcessor,
): void;

registerProcessor(
  CAPTURE_PROCESSOR,
  class extends AudioWorkletProcessor {
    readonly #pipeline: CapturePipeline;
    #muted = false;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      const post = (message: CaptureMessage, transfer: Transferable[] = []) => this.port.postMessage(message, transfer);
      this.#pipeline = new CapturePipeline(processorOptions.sampleRate, {
        onFrame: (frame) => post(frame, [frame]),
        onSpeakingChange: (speaking) => post({ speaking }),
      });
      this.port.onmessage = ({ data }: MessageEvent<CaptureCommand>) => {
        this.#muted = data.muted;
        this.#pipeline.reset();
      };
    }

    process(inputs: Float32Array[][]): boolean {
      const channel = inputs[0]?.[0];
      if (channel && !this.#muted) this.#pipeline.push(channel);
      return true;
    }
  },
);

registerProcessor(
  PLAYBACK_PROCESSOR,
  class extends AudioWorkletProcessor {
    readonly #pipeline: PlaybackPipeline;
    #clears = 0;

    constructor({ processorOptions }: { processorOptions: ProcessorOptions }) {
      super();
      this.#pipeline = new PlaybackPipeline(processorOptions.sampleRate, (speaking) => {
        const message: PlaybackMessage = { speaking, clears: this.#clears };
        this.port.postMessage(message);
      });
      this.port.onmessage = ({ data }: MessageEvent<PlaybackCommand>) => {
        if (data === 'clear') {
          this.#clears += 1;
          this.#pipeline.clear();
        } else {
          this.#pipeline.push(data);
        }
      };
    }

    process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
      const channel = outputs[0]?.[0];
      if (channel) this.#pipeline.render(channel);
      return true;
    }
  },
);
