/**
 * Serves the bench page (bench/page/) and the built SDK (dist/) on 127.0.0.1, as plain files:
 * the page runs the SDK exactly as an integrator ships it, with no dev-server client in the
 * way of the measurements.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname } from 'node:path';

const ROOT = new URL('../../', import.meta.url);
const SERVED = ['/bench/page/', '/dist/'];
/** @type {Record<string, string | undefined>} */
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.map': 'application/json' };

/** @returns {Promise<{ url: string, close(): Promise<void> }>} `url` is the bench page's address */
export async function startPageServer() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const type = TYPES[extname(path)];
    if (!type || path.includes('..') || !SERVED.some((prefix) => path.startsWith(prefix))) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(new URL(`.${path}`, ROOT));
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/bench/page/index.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
