/**
 * The SDK runs its WebSocket and its codec in a Worker, out of reach of a page's init scripts.
 * This probe reaches in: every Worker the page starts first runs the probe scripts added with
 * {@link addWorkerProbe}, then its own script. What they report comes back to the page over a
 * BroadcastChannel, into `window.workerProbe.reports`, with times in the page's clock.
 */
import type { ScenarioPage } from './browsers/ScenarioPage.ts';
import type { WorkerProbe, WorkerReport } from './workerReports.ts';

export type { WorkerProbe, WorkerReport } from './workerReports.ts';

/** A probe script: runs in the Worker before its own script, and reports through `report`. */
export type ProbeScript = (report: (kind: string, fields?: Record<string, unknown>) => void) => void;

const CHANNEL = 'athos-e2e-worker-probe';

/** Has the page's Workers run probe scripts first. Call it before the page loads. */
export async function installWorkerProbe(page: ScenarioPage): Promise<void> {
  await page.addInitScript((channelName) => {
    const probe: WorkerProbe = { preludes: [], reports: [], workers: [] };
    Object.assign(window, { workerProbe: probe });
    new BroadcastChannel(channelName).onmessage = ({ data }: MessageEvent<WorkerReport>) => {
      probe.reports.push({ ...data, at: data.at - performance.timeOrigin });
    };
    const createObjectURL = URL.createObjectURL.bind(URL);
    const revokeObjectURL = URL.revokeObjectURL.bind(URL);
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        const script = new URL(url, location.href).href;
        const source = [
          `const report = (() => { const channel = new BroadcastChannel(${JSON.stringify(channelName)});`,
          'const worker = Math.random().toString(36).slice(2);',
          'return (kind, fields = {}) => channel.postMessage({ ...fields, kind, worker, at: performance.timeOrigin + performance.now() }); })();',
          ...probe.preludes.map((prelude) => `(${prelude})(report);`),
          `importScripts(${JSON.stringify(script)});`,
        ].join('\n');
        const wrapped = createObjectURL(new Blob([source], { type: 'text/javascript' }));
        super(wrapped, options);
        this.addEventListener('message', () => revokeObjectURL(wrapped), { once: true });
        const record = { url: script, terminated: false };
        probe.workers.push(record);
        const terminate = this.terminate.bind(this);
        this.terminate = () => {
          record.terminated = true;
          terminate();
        };
      }
    };
  }, CHANNEL);
}

/**
 * Has every Worker the page starts from now on run `script` first (once, however often it is
 * added). Call it after {@link installWorkerProbe}.
 */
export async function addWorkerProbe(page: ScenarioPage, script: ProbeScript): Promise<void> {
  await page.evaluate((source) => {
    const { preludes } = window.workerProbe;
    if (!preludes.includes(source)) preludes.push(source);
  }, script.toString());
}

/** Has every Worker of every document the page loads from now on run `script` first. */
export async function addWorkerProbeOnLoad(page: ScenarioPage, script: ProbeScript): Promise<void> {
  await page.addInitScript((source) => {
    const { preludes } = window.workerProbe;
    if (!preludes.includes(source)) preludes.push(source);
  }, script.toString());
}

/** The reports of `kind` so far, in order. */
export function workerReports(page: ScenarioPage, kind: string): Promise<WorkerReport[]> {
  return page.evaluate((wanted) => window.workerProbe.reports.filter((report) => report.kind === wanted), kind);
}

/**
 * Counts, in each Worker, the WebSockets not closed and the WebCodecs encoders and decoders not
 * closed, reporting `resources` whenever a count changes.
 */
export const resourceProbe: ProbeScript = (report) => {
  // Plain properties, no private fields: this source runs in the Worker as it is.
  // biome-ignore lint/suspicious/noExplicitAny: the probe's classes extend whatever the scope holds.
  const scope = self as unknown as Record<string, any>;
  const counts = { sockets: 0, codecs: 0 };
  const release = (what: 'sockets' | 'codecs', object: object & { probeOpen?: boolean }) => {
    if (object.probeOpen) counts[what] -= 1;
    object.probeOpen = false;
    report('resources', { ...counts });
  };
  const acquire = (what: 'sockets' | 'codecs', object: object & { probeOpen?: boolean }) => {
    object.probeOpen = true;
    counts[what] += 1;
    report('resources', { ...counts });
  };
  const NativeSocket = scope.WebSocket;
  scope.WebSocket = class extends NativeSocket {
    constructor(...args: unknown[]) {
      super(...args);
      acquire('sockets', this);
      this.addEventListener('close', () => release('sockets', this));
    }
    close(...args: unknown[]) {
      release('sockets', this);
      super.close(...args);
    }
  };
  for (const name of ['AudioEncoder', 'AudioDecoder']) {
    const Native = scope[name];
    if (!Native) continue;
    scope[name] = class extends Native {
      constructor(init: { output: unknown; error: (error: unknown) => void }) {
        const error = (cause: unknown) => {
          release('codecs', this);
          init.error(cause);
        };
        super({ ...init, error });
        acquire('codecs', this);
      }
      close() {
        release('codecs', this);
        super.close();
      }
    };
  }
};

/**
 * Records the traffic of every WebSocket a Worker opens: `created` when it is made, `received`
 * for each message (a binary frame's `seq` and size, a text frame's text) and `sent` for each
 * send (its size, and the text of a text frame). `socket` numbers the sockets of one Worker in
 * order of creation.
 */
export const trafficProbe: ProbeScript = (report) => {
  // biome-ignore lint/suspicious/noExplicitAny: the probe's class extends whatever the scope holds.
  const scope = self as unknown as Record<string, any>;
  const NativeSocket = scope.WebSocket;
  let sockets = 0;
  scope.WebSocket = class extends NativeSocket {
    constructor(...args: unknown[]) {
      super(...args);
      const socket = sockets++;
      report('created', { socket });
      this.addEventListener('message', ({ data }: MessageEvent) => {
        if (typeof data === 'string') report('received', { socket, text: data });
        else report('received', { socket, seq: new DataView(data).getUint32(0, true), bytes: data.byteLength - 4 });
      });
      const send = this.send.bind(this);
      this.send = (data: string | ArrayBuffer) => {
        report('sent', typeof data === 'string' ? { socket, text: data } : { socket, bytes: data.byteLength });
        send(data);
      };
    }
  };
};

/** Removes WebCodecs from the Worker, as in a browser without it: the SDK must fall back to pcm16. */
export const withoutWebCodecs: ProbeScript = () => {
  const scope = self as unknown as Record<string, unknown>;
  for (const name of ['AudioEncoder', 'AudioDecoder', 'AudioData', 'EncodedAudioChunk']) delete scope[name];
};

/**
 * Reports the peak level (0 to 1) of every audio frame a Worker's WebSockets carry, in whichever
 * codec the call uses (`live` says which): `downlink` when a frame arrives, `uplink` when one is
 * sent, `at` being that moment. Opus frames are decoded by a decoder of the probe's own.
 */
export const peakProbe: ProbeScript = (report) => {
  // biome-ignore lint/suspicious/noExplicitAny: the probe's class extends whatever the scope holds.
  const scope = self as unknown as Record<string, any>;
  const { AudioDecoder, EncodedAudioChunk } = scope;
  const NativeSocket = scope.WebSocket;
  /** Reports `kind` for each frame of the call's codec, at the time each was seen. */
  const meter = (kind: 'uplink' | 'downlink') => {
    const seenAt: number[] = [];
    let decoder: { decode(chunk: unknown): void } | undefined;
    const peakOf = (samples: ArrayLike<number>, scale: number) => {
      let peak = 0;
      for (let i = 0; i < samples.length; i += 1) peak = Math.max(peak, Math.abs(samples[i] as number) / scale);
      return peak;
    };
    return {
      opus() {
        decoder = new AudioDecoder({
          output: (data: {
            numberOfFrames: number;
            timestamp: number;
            copyTo(target: Float32Array, options: object): void;
            close(): void;
          }) => {
            const samples = new Float32Array(data.numberOfFrames);
            data.copyTo(samples, { planeIndex: 0, format: 'f32-planar' });
            report(kind, { at: seenAt[data.timestamp] as number, peak: peakOf(samples, 1) });
            data.close();
          },
          error: () => undefined,
        }) as { decode(chunk: unknown): void; configure(config: object): void };
        (decoder as unknown as { configure(config: object): void }).configure({
          codec: 'opus',
          sampleRate: 16000,
          numberOfChannels: 1,
        });
      },
      frame(body: Uint8Array) {
        const at = performance.timeOrigin + performance.now();
        if (!decoder) {
          report(kind, { at, peak: peakOf(new Int16Array(body.buffer, body.byteOffset, body.byteLength >> 1), 32768) });
          return;
        }
        seenAt.push(at);
        decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: seenAt.length - 1, data: body }));
      },
    };
  };
  scope.WebSocket = class extends NativeSocket {
    constructor(...args: unknown[]) {
      super(...args);
      const uplink = meter('uplink');
      const downlink = meter('downlink');
      this.addEventListener('message', ({ data }: MessageEvent) => {
        if (typeof data === 'string') {
          if (JSON.parse(data).audio?.codec === 'opus') {
            uplink.opus();
            downlink.opus();
          }
        } else {
          downlink.frame(new Uint8Array(data, 4));
        }
      });
      const send = this.send.bind(this);
      this.send = (data: string | ArrayBuffer) => {
        if (typeof data !== 'string') uplink.frame(new Uint8Array(data));
        send(data);
      };
    }
  };
};

/** What {@link socketTraffic} says of each WebSocket the SDK's Worker opened, in order. */
export interface SocketTraffic {
  /** When it last received anything, in page time. */
  lastMessageAt: number;
  /** The `seq` of every audio frame it received, in order. */
  seqs: number[];
  /** The control messages it received and sent, parsed, in order; `at` is when, in page time. */
  received: Array<{ type: string; at: number; [field: string]: unknown }>;
  sent: Array<{ type: string; at: number; [field: string]: unknown }>;
  /** When it sent each audio frame, in page time, and how many bytes each had. */
  audioSent: Array<{ at: number; bytes: number }>;
}

/** From now on, records the traffic of the WebSockets of every Worker the page starts. */
export function recordSocketTraffic(page: ScenarioPage): Promise<void> {
  return addWorkerProbe(page, trafficProbe);
}

/** The traffic {@link recordSocketTraffic} recorded, per socket, in order of creation. */
export function socketTraffic(page: ScenarioPage): Promise<SocketTraffic[]> {
  return page.evaluate(() => {
    const sockets: SocketTraffic[] = [];
    for (const report of window.workerProbe.reports) {
      if (report.kind !== 'received' && report.kind !== 'sent') continue;
      const index = report.socket as number;
      sockets[index] ??= { lastMessageAt: report.at, seqs: [], received: [], sent: [], audioSent: [] };
      const socket = sockets[index];
      const message = typeof report.text === 'string' ? JSON.parse(report.text) : undefined;
      if (report.kind === 'received') {
        socket.lastMessageAt = report.at;
        if (message) socket.received.push({ ...message, at: report.at });
        else socket.seqs.push(report.seq as number);
      } else if (message) {
        socket.sent.push({ ...message, at: report.at });
      } else {
        socket.audioSent.push({ at: report.at, bytes: report.bytes as number });
      }
    }
    return sockets;
  });
}

/** When (page `performance.now()` ms) uplink frames were sent. */
export const uplinkSends = async (page: ScenarioPage): Promise<number[]> =>
  (await socketTraffic(page)).flatMap((socket) => socket.audioSent.map((sent) => sent.at));

/** A frame sent less than this after the one before was held back and sent in a burst. */
const BURST_MS = 5;
const FRAME_MS = 20;

/**
 * The send times of the uplink's frames around an event: from the last frame sent before
 * `from` to the first sent after `until`, and the frames sent right behind that one (a Worker
 * that was held back sends what it kept in a burst: those frames are late, not missing).
 * `undefined` until a frame after the burst shows it is over.
 */
export function uplinkSpan(sends: readonly number[], from: number, until: number): number[] | undefined {
  const first = sends.filter((at) => at < from).length - 1;
  let last = sends.findIndex((at) => at > until);
  if (first < 0 || last < 0) return undefined;
  while (last + 1 < sends.length && sends[last + 1]! - sends[last]! < BURST_MS) last += 1;
  return last + 1 < sends.length ? sends.slice(first, last + 1) : undefined;
}

/** The longest pause between two frames of a span, in ms. */
export const longestPause = (span: readonly number[]): number => Math.max(...span.slice(1).map((at, i) => at - span[i]!));

/** How many 20 ms frames a span lacks for its length. */
export const framesMissing = (span: readonly number[]): number =>
  Math.max(0, Math.round((span.at(-1)! - span[0]!) / FRAME_MS) - (span.length - 1));
