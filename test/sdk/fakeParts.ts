import { vi } from 'vitest';
import type { BrowserEnv } from '../../src/browser/BrowserEnv.ts';
import type { MicrophoneInputEvents } from '../../src/media/MicrophoneInput.ts';
import type { PersonaOutputEvents } from '../../src/media/PersonaOutput.ts';
import type { Redemption, RedemptionRequest } from '../../src/redeem/Redemption.ts';
import type { RedeemContext } from '../../src/redeem/redeemToken.ts';
import type { SessionParts } from '../../src/session/SessionParts.ts';
import type { VoiceTransportEvents } from '../../src/transport/VoiceTransport.ts';

/** A successful redemption. */
export const REDEMPTION: Redemption = {
  connectionUrl: 'ws://127.0.0.1:8787/v1/voice',
  connectionTicket: 'tkt_fake',
  sessionId: 'ext_fake',
  callId: 'athos_call_fake',
  persona: { name: 'Dorothy Hale', details: null },
};

/** The talk metrics of a call in which nobody spoke (for less than the 3 s of dead air). */
export const NO_TALK = {
  repTalkMs: 0,
  personaTalkMs: 0,
  talkRatio: 0,
  longestRepMonologueMs: 0,
  interruptions: 0,
  deadAirCount: 0,
  deadAirMs: 0,
};

/**
 * Fake session parts that record what the session did with them. Each step succeeds at once
 * unless a test replaces the corresponding `vi.fn`.
 */
export function fakeParts() {
  const calls: string[] = [];
  const handles: {
    microphone?: MicrophoneInputEvents;
    output?: PersonaOutputEvents;
    transport?: VoiceTransportEvents;
  } = {};
  const ports = new MessageChannel();
  const microphone = {
    start: vi.fn(async (_signal: AbortSignal, _link: MessagePort) => void calls.push('microphone.start')),
    setDevice: vi.fn(async () => undefined),
    setMuted: vi.fn(),
    level: vi.fn(() => 0.5),
    stop: vi.fn(() => void calls.push('microphone.stop')),
  };
  const output = {
    prepare: vi.fn(async (_link: MessagePort) => void calls.push('output.prepare')),
    start: vi.fn(async () => void calls.push('output.start')),
    resume: vi.fn(async () => undefined),
    setSpeaker: vi.fn(async (_deviceId: string) => undefined),
    setVolume: vi.fn(),
    level: vi.fn(() => 0.25),
    stats: vi.fn(() => ({ jitterBufferMs: 40, lateFrames: 2, concealedFrames: 3 })),
    stop: vi.fn(() => void calls.push('output.stop')),
  };
  const transport = {
    kind: 'websocket' as const,
    codec: vi.fn(() => 'pcm16' as const),
    stats: vi.fn(() => ({ rttMs: 12, bytesSent: 6400, bytesReceived: 3200, lostFrames: 1 })),
    capturePort: ports.port1,
    playbackPort: ports.port2,
    connect: vi.fn(async (_redemption: Redemption, _signal: AbortSignal) => void calls.push('transport.connect')),
    retryNow: vi.fn(),
    setMuted: vi.fn(async (_muted: boolean) => undefined),
    leave: vi.fn(async () => {
      calls.push('transport.leave');
      return { reason: 'client', durationSec: 7 };
    }),
    close: vi.fn(() => {
      calls.push('transport.close');
      ports.port1.close();
    }),
  };
  const redeem = vi.fn(async (_request: RedemptionRequest, _context: RedeemContext) => {
    calls.push('redeem');
    return REDEMPTION;
  });
  const env = { fetch: vi.fn(), reportError: vi.fn() };
  const parts: SessionParts = {
    env: () => env as unknown as BrowserEnv,
    redeem,
    createMicrophone: (events) => {
      handles.microphone = events;
      return microphone;
    },
    createOutput: (events) => {
      handles.output = events;
      return output;
    },
    createTransport: (events) => {
      calls.push('transport.create');
      handles.transport = events;
      return transport;
    },
    listMicrophones: vi.fn(async () => [{ deviceId: 'default', label: 'Default' }]),
    listSpeakers: vi.fn(async () => [{ deviceId: 'default', label: 'Default' }]),
    checkSpeaker: vi.fn(async (_env: BrowserEnv, _deviceId: string) => undefined),
  };
  return { parts, calls, handles, microphone, output, transport, redeem, env };
}
