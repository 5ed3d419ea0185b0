import { describe, expect, it } from 'vitest';
import { parseDownlinkFrame, parseGatewayText } from '../../../src/transport/protocol.ts';
import { downlinkFrame, LIVE, RESUMED } from './fakeGateway.ts';

describe('parseGatewayText', () => {
  it.each([
    ['{not json', 'a text frame that is not JSON'],
    ['[1, 2]', 'a text frame that is not an object with a string type'],
    ['null', 'a text frame that is not an object with a string type'],
    ['"live"', 'a text frame that is not an object with a string type'],
    ['{"type": 7}', 'a text frame that is not an object with a string type'],
    ['{"type": "dance"}', 'a message of unknown type "dance"'],
    ['{"type": "toString"}', 'a message of unknown type "toString"'],
    ['{"type": "live", "heartbeatMs": 1000}', "a 'live' message with missing or invalid fields"],
    ['{"type": "live", "resumeToken": "", "heartbeatMs": 1000}', "a 'live' message with missing or invalid fields"],
    ['{"type": "live", "resumeToken": "r", "heartbeatMs": 0}', "a 'live' message with missing or invalid fields"],
    ['{"type": "resumed", "heartbeatMs": "1000"}', "a 'resumed' message with missing or invalid fields"],
    ['{"type": "ping", "id": "1"}', "a 'ping' message with missing or invalid fields"],
  ])('ignores %s as %s', (text, ignored) => {
    expect(parseGatewayText(text)).toEqual({ ignored });
  });

  it('reads the messages of the protocol, keeping only what the SDK uses', () => {
    expect(parseGatewayText(JSON.stringify(LIVE))).toEqual({
      message: { type: 'live', resumeToken: 'rst_secret', heartbeatMs: 1000, codec: 'pcm16' },
    });
    expect(parseGatewayText(JSON.stringify(RESUMED))).toEqual({ message: { type: 'resumed', heartbeatMs: 1000 } });
    expect(parseGatewayText('{"type":"ping","id":4}')).toEqual({ message: { type: 'ping', id: 4 } });
    expect(parseGatewayText('{"type":"pong","id":4}')).toEqual({ message: { type: 'pong', id: 4 } });
    expect(parseGatewayText('{"type":"pong","id":"4"}')).toEqual({ message: { type: 'pong', id: undefined } });
    expect(parseGatewayText('{"type":"clear","seq":80}')).toEqual({ message: { type: 'clear' } });
    expect(parseGatewayText('{"type":"warning","code":"BAD_AUDIO_FRAME","message":"odd"}')).toEqual({
      message: { type: 'warning', code: 'BAD_AUDIO_FRAME' },
    });
    expect(parseGatewayText('{"type":"ended","reason":"max_duration","callId":"athos_call_1","durationSec":42}')).toEqual({
      message: { type: 'ended', reason: 'max_duration', durationSec: 42 },
    });
  });

  it("reads the codec live names as sent, and pcm16 when it names none (a version 1 gateway's live)", () => {
    const live = (audio: unknown) => parseGatewayText(JSON.stringify({ ...LIVE, audio }));
    expect(live({ codec: 'opus' })).toMatchObject({ message: { codec: 'opus' } });
    expect(live({ codec: 'speex' })).toMatchObject({ message: { codec: 'speex' } });
    expect(live({ inputSampleRate: 16000 })).toMatchObject({ message: { codec: 'pcm16' } });
    expect(live(undefined)).toMatchObject({ message: { codec: 'pcm16' } });
    expect(live({ codec: 7 })).toMatchObject({ message: { codec: 'pcm16' } });
  });

  it('honours an ended message whatever its fields', () => {
    expect(parseGatewayText('{"type":"ended","durationSec":-3}')).toEqual({
      message: { type: 'ended', reason: 'unknown', durationSec: undefined },
    });
  });
});

describe('parseDownlinkFrame', () => {
  it('reads the u32le seq and views the body without copying it', () => {
    const buffer = downlinkFrame(0x01020304);
    const frame = parseDownlinkFrame(buffer, 'pcm16');
    expect(frame?.seq).toBe(0x01020304);
    expect(frame?.body.buffer).toBe(buffer);
    expect(frame?.body.byteOffset).toBe(4);
    expect(frame?.body.byteLength).toBe(640);
  });

  it.each([0, 3, 4, 5, 7, 3205, 256 * 1024])('drops a pcm16 frame of %i bytes', (bytes) => {
    expect(parseDownlinkFrame(new ArrayBuffer(bytes), 'pcm16')).toBeUndefined();
  });

  it('accepts any positive even pcm16 body up to 3200 bytes (100 ms)', () => {
    expect(parseDownlinkFrame(new ArrayBuffer(6), 'pcm16')?.body.byteLength).toBe(2);
    expect(parseDownlinkFrame(new ArrayBuffer(3204), 'pcm16')?.body.byteLength).toBe(3200);
  });

  it.each([0, 3, 4, 1280])('drops an opus frame of %i bytes', (bytes) => {
    expect(parseDownlinkFrame(new ArrayBuffer(bytes), 'opus')).toBeUndefined();
  });

  it('accepts one opus packet of 1 to 1275 bytes, of any length', () => {
    expect(parseDownlinkFrame(new ArrayBuffer(5), 'opus')?.body.byteLength).toBe(1);
    expect(parseDownlinkFrame(new ArrayBuffer(42), 'opus')?.body.byteLength).toBe(38);
    expect(parseDownlinkFrame(new ArrayBuffer(1279), 'opus')?.body.byteLength).toBe(1275);
  });
});

describe('numbers from a hostile gateway', () => {
  const live = (heartbeatMs: unknown) => parseGatewayText(JSON.stringify({ ...LIVE, heartbeatMs }));

  it.each([
    [1, 250],
    [249, 250],
    [1000, 1000],
    [2001, 2000],
    [2 ** 31, 2000],
    [Number.MAX_SAFE_INTEGER, 2000],
  ])('keeps heartbeatMs %d within 250–2000 ms: %d', (sent, kept) => {
    expect(live(sent)).toEqual({ message: { type: 'live', resumeToken: 'rst_secret', heartbeatMs: kept, codec: 'pcm16' } });
    expect(parseGatewayText(JSON.stringify({ ...RESUMED, heartbeatMs: sent }))).toEqual({
      message: { type: 'resumed', heartbeatMs: kept },
    });
  });

  it.each([0, -5, 1.5, 1e300, '1000', null])('ignores a live with heartbeatMs %s', (sent) => {
    expect(live(sent)).toEqual({ ignored: "a 'live' message with missing or invalid fields" });
  });

  it('takes only safe integers for ping ids and durations', () => {
    expect(parseGatewayText('{"type":"ping","id":1e300}')).toEqual({
      ignored: "a 'ping' message with missing or invalid fields",
    });
    expect(parseGatewayText(`{"type":"ping","id":${2 ** 60}}`)).toEqual({
      ignored: "a 'ping' message with missing or invalid fields",
    });
    expect(parseGatewayText('{"type":"ended","reason":"client","durationSec":1e300}')).toEqual({
      message: { type: 'ended', reason: 'client', durationSec: undefined },
    });
  });

  it('ignores a text frame over 16 KiB unread', () => {
    const huge = JSON.stringify({ type: 'warning', code: 'X', pad: 'y'.repeat(16 * 1024) });
    expect(parseGatewayText(huge)).toEqual({ ignored: 'a text frame over 16384 bytes' });
  });

  it('escapes the unknown type it names', () => {
    const parsed = parseGatewayText(JSON.stringify({ type: 'x\n[Athos] the call is fine\u001b[2J\u202e' }));
    expect(parsed).toEqual({ ignored: 'a message of unknown type "x\\n[Athos] the call is fine\\u001b[2J\\u202e"' });
  });
});
