import type { AthosErrorCode } from '../src/index.ts';

/**
 * What an app should do about each error code, in one line each. The long form, with causes
 * and phases, is docs/errors.md.
 */
export const RECOVERY: Readonly<Record<AthosErrorCode, string>> = Object.freeze({
  MIC_PERMISSION_DENIED:
    'Show how to allow the microphone for this site, then start a new session. The token was not spent and can be used again.',
  MIC_DEVICE_DISCONNECTED:
    'Mid-call: the call goes on; ask the rep to plug a microphone back in or pick another one (setMicrophone). At start: close the app holding the microphone and start again.',
  NO_MIC_AVAILABLE:
    'Ask the rep to connect a microphone (the page must be HTTPS or localhost), then start again. The token was not spent.',
  NETWORK_LOST: 'The call has ended. Offer a new call, with a new token, once the network is back.',
  AUDIO_PLAYBACK_BLOCKED: 'Show an "Enable audio" button whose click calls resumeAudio(). The call goes on.',
  BROWSER_NOT_SUPPORTED:
    'Ask the rep to use desktop Chrome, Edge or Firefox. Check detectBrowserSupport() before minting a token.',
  SESSION_ALREADY_CONNECTED:
    'A bug in the app: call connect() once per session, and create a new session with a new token for each call. The running call is not affected.',
  INVALID_API_KEY: 'Backend only: check the API key your server sends to Athos.',
  API_KEY_REVOKED: 'Backend only: create a new API key in Athos and deploy it to your server.',
  INVALID_TOKEN: 'Mint a fresh token on your backend and start a new session.',
  TOKEN_EXPIRED: 'Mint the token when the rep clicks start, not at page load; mint a new one and start again.',
  TOKEN_ALREADY_USED: 'Mint a new token for every call; never cache or reuse one.',
  IP_NOT_ALLOWED: 'Backend only: call Athos from a server address on the tenant allowlist.',
  TENANT_INACTIVE: 'Contact Athos; retrying does not help.',
  TENANT_QUOTA_EXCEEDED: 'Contact Athos about the quota; retrying does not help.',
  INVALID_REQUEST: 'Fix the create() options (for example a blank drillKey or an unknown difficulty).',
  DRILL_NOT_FOUND: 'Use a drill key from the Drills reference (ATHOS_DRILL_KEYS).',
  CALL_NOT_FOUND: 'Backend only: the call is not scored yet, or belongs to another tenant; read it again later.',
  SERVICE_UNAVAILABLE: 'Retry shortly (after retryAfterMs when given) with a new session and a fresh token.',
  INTERNAL_ERROR: 'Retry once with a fresh token; if it persists, contact Athos with the requestId and the message.',
});
