/**
 * The SDK's Worker script: the one place that touches the Worker's global scope. The SDK
 * bundles it (with its imports) into a string loaded through a Blob URL; the build also emits
 * it as `dist/athos-worker.js` for sites whose Content-Security-Policy forbids `blob:` (the
 * `workerUrl` option).
 */
import { DEFAULT_RECONNECT_POLICY } from '../transport/ReconnectPolicy.ts';
import { LinkWorker, type WorkerEndpoint } from './LinkWorker.ts';

const scope = globalThis as unknown as WorkerEndpoint & { WebSocket: typeof WebSocket };
new LinkWorker(scope, { WebSocket: scope.WebSocket, webCodecs: globalThis, policy: DEFAULT_RECONNECT_POLICY });
