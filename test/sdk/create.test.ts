import { afterEach, describe, expect, it, vi } from 'vitest';
import { AthosRoleplay, AthosRoleplayError, create, RoleplaySession } from '../../src/index.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36';
const SAFARI =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15';

function withUserAgent(userAgent: string) {
  vi.stubGlobal('navigator', { ...navigator, userAgent });
}

describe('create()', () => {
  it('returns an idle session synchronously on a supported browser, without media or network work', () => {
    withUserAgent(CHROME);
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const session = AthosRoleplay.create({ token: 'ast_token', drillKey: 'ma-full-sale' });
    expect(session).toBeInstanceOf(RoleplaySession);
    expect(session.state).toBe('idle');
    expect(fetch).not.toHaveBeenCalled();
    expect(create).toBe(AthosRoleplay.create);
  });

  it('throws BROWSER_NOT_SUPPORTED synchronously on Safari', () => {
    withUserAgent(SAFARI);
    let thrown: unknown;
    try {
      create({ token: 'ast_token', drillKey: 'ma-full-sale' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AthosRoleplayError);
    expect(thrown).toMatchObject({ code: 'BROWSER_NOT_SUPPORTED', phase: 'create', retryable: false });
  });

  it('throws BROWSER_NOT_SUPPORTED where there is no navigator, saying to call it in the browser', () => {
    vi.stubGlobal('navigator', undefined);
    expect(() => create({ token: 'ast_token', drillKey: 'ma-full-sale' })).toThrow(
      expect.objectContaining({
        code: 'BROWSER_NOT_SUPPORTED',
        phase: 'create',
        message: expect.stringMatching(/must run in the browser.*event handler or an effect/),
      }),
    );
  });

  it('accepts a token function', () => {
    withUserAgent(CHROME);
    expect(create({ token: async () => 'ast_token', drillKey: 'ma-full-sale' }).state).toBe('idle');
  });
});
