import type { IncomingMessage, ServerResponse } from 'node:http';

/** Where and as whom this backend talks to Athos. Server-side only. */
export interface AthosServerConfig {
  /** Athos's base URL, e.g. `https://app.useathos.ai` (or the local server's in development). */
  apiUrl: string;
  /** The Athos API key. It never leaves this server. */
  apiKey: string;
}

/**
 * `POST /api/athos-token`: mints a single-use Athos session token for the signed-in rep and
 * answers `{ token, expiresAt }`. Your own backend does this in production, where the rep's id
 * comes from your login (this example has none, so every caller is one demo rep).
 */
export function athosTokenRoute({ apiUrl, apiKey }: AthosServerConfig) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== 'POST') {
      response.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    let status = 502;
    let body: unknown = { error: { code: 'ATHOS_UNREACHABLE', message: 'Athos did not answer.' } };
    try {
      const athos = await fetch(`${apiUrl}/api/external/v1/session`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ externalUserId: 'example-rep' }),
      });
      status = athos.status;
      body = await athos.json();
    } catch {
      // The answer above: Athos is down or unreachable.
    }
    response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
  };
}
