import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, quoted } from '../../../src/utils/logger.ts';

afterEach(() => vi.restoreAllMocks());

describe('createLogger', () => {
  it('redacts every secret added, in the message and in string details, and prints nothing unless enabled', () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const secrets: string[] = [];
    const logger = createLogger(true, secrets);
    logger.addSecret('ast_token');
    logger.addSecret('art_resume');
    logger.addSecret('');
    logger.addSecret('art_resume');
    expect(secrets).toEqual(['ast_token', 'art_resume']);
    logger.debug('saw art_resume twice: art_resume', 'and ast_token');
    expect(debug.mock.calls).toEqual([['[Athos] saw [redacted] twice: [redacted]', 'and [redacted]']]);
    createLogger(false, secrets).debug('quiet');
    expect(debug).toHaveBeenCalledTimes(1);
  });
});

describe('quoted', () => {
  it.each([
    ['BAD_AUDIO_FRAME', '"BAD_AUDIO_FRAME"'],
    ['two\nlines\r', '"two\\nlines\\r"'],
    ['\u001b[31mred', '"\\u001b[31mred"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['\u202egnp.exe \u2028\u0085', '"\\u202egnp.exe \\u2028\\u0085"'],
    ['café', '"caf\\u00e9"'],
  ])('prints %j as %s', (text, expected) => {
    expect(quoted(text)).toBe(expected);
  });

  it('cuts long strings to 80 characters', () => {
    expect(quoted('x'.repeat(10_000))).toBe(`"${'x'.repeat(80)}\\u2026"`);
  });
});
