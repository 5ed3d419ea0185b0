/**
 * `POST /api/athos-token`: mints a single-use Athos session token for the signed-in rep and
 * answers `{ token, expiresAt }`. It runs on the server only, so `ATHOS_API_KEY` never reaches
 * the browser. In your app the rep's id comes from your login (this example has none).
 */
export async function POST(): Promise<Response> {
  const apiUrl = process.env.ATHOS_API_URL ?? 'https://app.useathos.ai';
  try {
    const athos = await fetch(`${apiUrl}/api/external/v1/session`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${process.env.ATHOS_API_KEY ?? ''}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ externalUserId: 'example-rep' }),
      cache: 'no-store',
    });
    return Response.json(await athos.json(), { status: athos.status, headers: { 'Cache-Control': 'no-store' } });
  } catch {
    return Response.json({ error: { code: 'ATHOS_UNREACHABLE', message: 'Athos did not answer.' } }, { status: 502 });
  }
}
