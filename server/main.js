/**
 * `npm run server`: starts the local Athos server from ATHOS_* environment variables.
 */
import { configFromEnv, startAthosServer } from './index.js';

let server;
try {
  server = await startAthosServer({ ...configFromEnv(process.env), log: (line) => console.log(`[athos] ${line}`) });
} catch (error) {
  console.error(`Athos local server failed to start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
console.log(`Athos local server listening on ${server.url}`);
if (server.faultSecret) console.log(`Fault controls on: send X-Athos-Fault-Secret: ${server.faultSecret}`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`[athos] ${signal}: shutting down`);
    void server.close().then(() => process.exit(0));
  });
}
