import { describe, expect, it } from 'vitest';
import { echoCancellerHearsWebAudio } from '../../src/browser/echoCancellerHearsWebAudio.ts';
import { detectBrowserSupport } from '../../src/index.ts';

// Real user-agent strings of current browsers.
const AGENTS = {
  chrome: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.3595.53',
  opera:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36 OPR/125.0.0.0',
  // Brave sends Chrome's user agent unchanged.
  brave: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0',
  safari: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15',
  iosSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1',
  iosChrome:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/142.0.7444.77 Mobile/15E148 Safari/604.1',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
  samsung:
    'Mozilla/5.0 (Linux; Android 14; SM-S928B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36',
  iPad: 'Mozilla/5.0 (iPad; CPU OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1',
};

describe('detectBrowserSupport', () => {
  it.each(['chrome', 'edge', 'opera', 'brave', 'firefox'] as const)('supports desktop %s', (name) => {
    expect(detectBrowserSupport(AGENTS[name])).toEqual({ supported: true });
  });

  it.each(['iosSafari', 'iosChrome', 'androidChrome', 'samsung', 'iPad'] as const)('rejects mobile %s', (name) => {
    expect(detectBrowserSupport(AGENTS[name])).toEqual({ supported: false, reason: 'mobile' });
  });

  it('rejects desktop Safari', () => {
    expect(detectBrowserSupport(AGENTS.safari)).toEqual({ supported: false, reason: 'safari' });
  });

  it('rejects an empty or unknown user agent', () => {
    expect(detectBrowserSupport('')).toEqual({ supported: false, reason: 'unknown' });
    expect(detectBrowserSupport('curl/8.5.0')).toEqual({ supported: false, reason: 'unknown' });
    expect(detectBrowserSupport(undefined as unknown as string)).toEqual({ supported: false, reason: 'unknown' });
  });
});

describe('echoCancellerHearsWebAudio', () => {
  it('is true for Firefox only: the Chromium family keeps the peer-connection loopback', () => {
    expect(echoCancellerHearsWebAudio(AGENTS.firefox)).toBe(true);
    for (const name of ['chrome', 'edge', 'opera', 'brave'] as const)
      expect(echoCancellerHearsWebAudio(AGENTS[name])).toBe(false);
    expect(echoCancellerHearsWebAudio('')).toBe(false);
  });
});
