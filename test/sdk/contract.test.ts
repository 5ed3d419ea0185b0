import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOSE, CLOSE_MEANINGS, CODECS, type Codec } from '../../src/contract/voice.js';
import type { AudioCodec } from '../../src/transport/VoiceTransport.ts';

/** The close-code table of docs/protocol.md section 7, as `code → SDK error column`. */
function documentedCloseCodes(): Map<number, string> {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/protocol.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| (\d{4}) \| [^|]+ \| ([^|]+) \|$/gm)];
  return new Map(rows.map(([, code, error]) => [Number(code), (error as string).trim()]));
}

describe('the protocol page and the shared close codes agree', () => {
  const documented = documentedCloseCodes();

  it('documents every close code the gateway sends', () => {
    const sent = Object.values(CLOSE).filter((code) => code !== CLOSE.NO_STATUS);
    expect([...documented.keys()].sort()).toEqual([...sent].sort());
  });

  it.each(Object.entries(CLOSE_MEANINGS))('close %s: the documented outcome is what the SDK does', (code, meaning) => {
    const row = documented.get(Number(code));
    if (row === undefined) return;
    if (meaning.drop) expect(row).toBe(`none: reconnect (before \`live\`: \`${meaning.error}\`)`);
    else if (row.startsWith('none:')) expect(Number(code)).toBe(CLOSE.REPLACED);
    else expect(row).toBe(`\`${meaning.error}\``);
  });
});

describe('the codecs the SDK names', () => {
  it("are the contract's, in types and at run time", () => {
    // Each assignment compiles only if every codec of one side is a codec of the other.
    const contractInSdk: readonly AudioCodec[] = CODECS;
    const sdkInContract: readonly Codec[] = ['opus', 'pcm16'] as AudioCodec[];
    expect(contractInSdk).toEqual(sdkInContract);
  });
});
