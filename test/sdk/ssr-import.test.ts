// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('importing the SDK without a DOM (server-side rendering)', () => {
  it('does not touch window, document or navigator at import time', async () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
    const sdk = await import('../../src/index.ts');
    expect(sdk.ATHOS_ERROR_CODES).toHaveLength(20);
    expect(typeof sdk.AthosRoleplay.create).toBe('function');
  });
});
