import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// These run against the built package (`npm run build`), in Node without a DOM.
const dist = resolve(import.meta.dirname, '../../dist');

describe('built package in Node (no DOM)', () => {
  it('the ESM build imports without touching browser globals', async () => {
    const sdk = await import(pathToFileURL(resolve(dist, 'index.mjs')).href);
    expect(sdk.ATHOS_ERROR_CODES).toHaveLength(20);
    expect(typeof sdk.AthosRoleplay.create).toBe('function');
    expect(typeof sdk.RoleplaySession).toBe('function');
  });

  it('the CJS build loads with require', () => {
    const require = createRequire(import.meta.url);
    const sdk = require(resolve(dist, 'index.cjs'));
    expect(sdk.ATHOS_ERROR_CODES).toHaveLength(20);
    expect(typeof sdk.create).toBe('function');
    expect(() => sdk.create({ token: 't', drillKey: 'ma-full-sale' })).toThrow(
      expect.objectContaining({ code: 'BROWSER_NOT_SUPPORTED' }),
    );
  });

  it('the package resolves by name for import and require', async () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('@useathos/sdk')).toBe(resolve(dist, 'index.cjs'));
    const sdk = await import('@useathos/sdk');
    expect(sdk.ATHOS_EVENT_NAMES).toContain('ended');
  });
});
