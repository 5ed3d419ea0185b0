import { vi } from 'vitest';
import type { BrowserEnv } from '../../../src/browser/BrowserEnv.ts';
import type { PartContext } from '../../../src/browser/PartContext.ts';
import { CallAudio } from '../../../src/media/CallAudio.ts';

/** A microphone track: `end()` simulates the device going away. */
export class FakeTrack extends EventTarget {
  readyState: MediaStreamTrackState = 'live';
  constructor(readonly deviceId: string) {
    super();
  }
  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }
  stop(): void {
    this.readyState = 'ended';
  }
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }
}

/** A stream of fake tracks; a happy-dom `MediaStream`, so `<audio>` accepts it as `srcObject`. */
export class FakeStream extends window.MediaStream {
  readonly tracks: FakeTrack[];
  constructor(...tracks: FakeTrack[]) {
    super();
    this.tracks = tracks;
  }
  override getTracks(): MediaStreamTrack[] {
    return this.tracks as unknown as MediaStreamTrack[];
  }
  override getAudioTracks(): MediaStreamTrack[] {
    return this.tracks as unknown as MediaStreamTrack[];
  }
}

/** A MessagePort stand-in; `receive()` delivers a message as if the worklet posted it. */
export class FakePort {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly postMessage = vi.fn();
  readonly close = vi.fn();
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
}

/** A port to hand to a part as its link to the Worker. */
export function fakeLink(): MessagePort {
  return new FakePort() as unknown as MessagePort;
}

class FakeNode {
  readonly connect = vi.fn();
  readonly disconnect = vi.fn();
}

/** An AnalyserNode whose time-domain data is a constant `amplitude` (a square wave's RMS). */
export class FakeAnalyser extends FakeNode {
  fftSize = 2048;
  amplitude = 0;
  getFloatTimeDomainData(array: Float32Array): void {
    array.fill(this.amplitude);
  }
}

/** `new DOMException(message, name)`, as getUserMedia rejects. */
export function domException(name: string): DOMException {
  return new DOMException(`fake ${name}`, name);
}

/**
 * A fake browser for the media layer, built on `context.env`: three microphones (`default`,
 * `mic-1`, `mic-2`) with permission granted, Web Audio, and WebRTC. Everything created is
 * recorded for assertions.
 */
export function fakeMediaEnv() {
  const created = {
    contexts: [] as FakeAudioContext[],
    analysers: [] as FakeAnalyser[],
    worklets: [] as FakeAudioWorkletNode[],
    streams: [] as FakeStream[],
    peers: [] as FakePeer[],
  };

  class FakeMediaDevices extends EventTarget {
    devices: Array<{ deviceId: string; label: string; kind: MediaDeviceKind }> = [
      { deviceId: 'default', label: 'Default', kind: 'audioinput' },
      { deviceId: 'mic-1', label: 'USB Microphone', kind: 'audioinput' },
      { deviceId: 'mic-2', label: 'Headset', kind: 'audioinput' },
      { deviceId: 'speaker', label: 'Speakers', kind: 'audiooutput' },
    ];
    readonly getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
      const requested = ((constraints.audio as MediaTrackConstraints).deviceId as { exact?: string } | undefined)?.exact;
      const inputs = this.devices.filter((device) => device.kind === 'audioinput');
      if (inputs.length === 0) throw domException('NotFoundError');
      if (requested !== undefined && !inputs.some((device) => device.deviceId === requested)) {
        throw domException('OverconstrainedError');
      }
      const stream = new FakeStream(new FakeTrack(requested ?? 'default'));
      created.streams.push(stream);
      return stream;
    });
    readonly enumerateDevices = vi.fn(async () => this.devices.map((device) => ({ ...device, groupId: '' })));
    /** Unplugs a device and tells the page. */
    unplug(deviceId: string): void {
      this.devices = this.devices.filter((device) => device.deviceId !== deviceId);
      this.dispatchEvent(new Event('devicechange'));
    }
  }

  class FakeAudioContext extends EventTarget {
    static sampleRate = 48_000;
    /** What `addModule` of the next contexts rejects with, if anything. */
    static addModuleError: unknown;
    /** Whether autoplay is blocked: contexts start suspended and `resume()` never settles. */
    static blocked = false;
    /**
     * Whether contexts never run although autoplay is allowed, as in Firefox without an audio
     * output device: they start suspended and `resume()` never settles.
     */
    static stuck = false;
    readonly sampleRate = FakeAudioContext.sampleRate;
    state: AudioContextState = FakeAudioContext.blocked || FakeAudioContext.stuck ? 'suspended' : 'running';
    readonly audioWorklet = {
      addModule: vi.fn(async (_url: string) => {
        if (FakeAudioContext.addModuleError !== undefined) throw FakeAudioContext.addModuleError;
      }),
    };
    readonly sources: Array<FakeNode & { stream: FakeStream }> = [];
    destination: (FakeNode & { channelCount: number; stream: FakeStream }) | undefined;
    readonly resume = vi.fn(() =>
      FakeAudioContext.blocked || FakeAudioContext.stuck
        ? new Promise<void>(() => undefined)
        : Promise.resolve(this.setState('running')),
    );
    readonly close = vi.fn(async () => this.setState('closed'));
    constructor() {
      super();
      created.contexts.push(this);
    }
    createMediaStreamSource(stream: FakeStream) {
      const source = Object.assign(new FakeNode(), { stream });
      this.sources.push(source);
      return source;
    }
    createAnalyser() {
      const analyser = new FakeAnalyser();
      created.analysers.push(analyser);
      return analyser;
    }
    createMediaStreamDestination() {
      this.destination = Object.assign(new FakeNode(), { channelCount: 2, stream: new FakeStream(new FakeTrack('web-audio')) });
      return this.destination;
    }
    setState(state: AudioContextState): void {
      this.state = state;
      this.dispatchEvent(new Event('statechange'));
    }
  }

  class FakeAudioWorkletNode extends FakeNode {
    readonly port = new FakePort();
    constructor(
      readonly context: FakeAudioContext,
      readonly name: string,
      readonly options: AudioWorkletNodeOptions,
    ) {
      super();
      created.worklets.push(this);
    }
  }

  class FakePeer extends EventTarget {
    connectionState: RTCPeerConnectionState = 'new';
    localDescription: { type: string; sdp: string; from: FakePeer } | null = null;
    readonly sent: Array<{ track: FakeTrack; stream: FakeStream }> = [];
    /** What this peer hands to its `track` listeners. */
    readonly received = new FakeStream(new FakeTrack('remote'));
    readonly addIceCandidate = vi.fn(async () => undefined);
    readonly close = vi.fn(() => {
      this.connectionState = 'closed';
    });
    constructor() {
      super();
      created.peers.push(this);
    }
    addTrack(track: FakeTrack, stream: FakeStream): void {
      this.sent.push({ track, stream });
    }
    async setLocalDescription(): Promise<void> {
      this.localDescription = { type: this.sent.length > 0 ? 'offer' : 'answer', sdp: '', from: this };
    }
    async setRemoteDescription(description: { from: FakePeer }): Promise<void> {
      if (description.from.sent.length === 0) return;
      this.dispatchEvent(Object.assign(new Event('track'), { streams: [this.received] }));
    }
    fail(): void {
      this.connectionState = 'failed';
      this.dispatchEvent(new Event('connectionstatechange'));
    }
  }

  const mediaDevices = new FakeMediaDevices();
  const URL = { createObjectURL: vi.fn(() => 'blob:athos-worklet'), revokeObjectURL: vi.fn() };
  const env = {
    navigator: {
      mediaDevices,
      // As Firefox answers it (Chromium has no such method).
      getAutoplayPolicy: () => (FakeAudioContext.blocked ? 'disallowed' : 'allowed'),
    },
    document,
    window,
    AudioContext: FakeAudioContext,
    AudioWorkletNode: FakeAudioWorkletNode,
    RTCPeerConnection: FakePeer,
    URL,
    Blob,
  } as unknown as BrowserEnv;
  const logger = { debug: vi.fn(), warn: vi.fn(), addSecret: vi.fn() };
  const context: PartContext = { env, logger, debug: false, workletUrl: undefined, workerUrl: undefined };
  return { env, context, logger, mediaDevices, URL, created, FakeAudioContext };
}

/** A media part built as the session builds it: given the call's audio, made from the same context. */
export function withAudio<Events, Part>(
  Part: new (events: Events, context: PartContext, audio: CallAudio) => Part,
  events: Events,
  context: PartContext,
): Part {
  return new Part(events, context, new CallAudio(context));
}
