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
    ['{"type": "dance"}', "a message of unknown type 'dance'"],
    ['{"type": "toString"}', "a message of unknown type 'toString'"],
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
      message: { type: 'live', resumeToken: 'rst_secret', heartbeatMs: 1000 },
    });
    expect(parseGatewayText(JSON.stringify(RESUMED))).toEqual({ message: { type: 'resumed', heartbeatMs: 1000 } });
    expect(parseGatewayText('{"type":"ping","id":4}')).toEqual({ message: { type: 'ping', id: 4 } });
    expect(parseGatewayText('{"type":"pong","id":4}')).toEqual({ message: { type: 'pong' } });
    expect(parseGatewayText('{"type":"clear","seq":80}')).toEqual({ message: { type: 'clear' } });
    expect(parseGatewayText('{"type":"warning","code":"BAD_AUDIO_FRAME","message":"odd"}')).toEqual({
      message: { type: 'warning', code: 'BAD_AUDIO_FRAME' },
    });
    expect(parseGatewayText('{"type":"ended","reason":"max_duration","callId":"athos_call_1","durationSec":42}')).toEqual({
      message: { type: 'ended', reason: 'max_duration', durationSec: 42 },
    });
  });

  it('honours an ended message whatever its fields', () => {
    expect(parseGatewayText('{"type":"ended","durationSec":-3}')).toEqual({
      message: { type: 'ended', reason: 'unknown', durationSec: undefined },
    });
  });
});

describe('parseDownlinkFrame', () => {
  it('reads the u32le seq and views the PCM without copying it', () => {
    const buffer = downlinkFrame(0x01020304);
    const frame = parseDownlinkFrame(buffer);
    expect(frame?.seq).toBe(0x01020304);
    expect(frame?.pcm.buffer).toBe(buffer);
    expect(frame?.pcm.byteOffset).toBe(4);
    expect(frame?.pcm.length).toBe(320);
  });

  it.each([0, 3, 4, 5, 7, 645])('drops a frame of %i bytes', (bytes) => {
    expect(parseDownlinkFrame(new ArrayBuffer(bytes))).toBeUndefined();
  });

  it('accepts any positive even PCM length', () => {
    expect(parseDownlinkFrame(new ArrayBuffer(6))?.pcm.length).toBe(1);
  });
});
