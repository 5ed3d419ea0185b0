import react from '@vitejs/plugin-react';
import { type Connect, defineConfig, loadEnv, type Plugin } from 'vite';
import { type AthosServerConfig, athosTokenRoute } from './server/athosToken.ts';

/** Mounts the token route on the dev server (`npm run dev`) and on `npm run preview`. */
function athosBackend(config: AthosServerConfig): Plugin {
  const route = athosTokenRoute(config);
  const mount = ({ middlewares }: { middlewares: Connect.Server }) => {
    middlewares.use('/api/athos-token', (request, response) => void route(request, response));
  };
  return { name: 'athos-token-route', configureServer: mount, configurePreviewServer: mount };
}

export default defineConfig(({ mode }) => {
  // ATHOS_* come from .env, .env.local or the environment, and stay in this Node process.
  const env = loadEnv(mode, import.meta.dirname, 'ATHOS_');
  return {
    plugins: [react(), athosBackend({ apiUrl: env.ATHOS_API_URL ?? 'https://app.useathos.ai', apiKey: env.ATHOS_API_KEY ?? '' })],
  };
});
