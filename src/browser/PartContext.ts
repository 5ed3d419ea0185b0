import type { Logger } from '../utils/logger.ts';
import type { BrowserEnv } from './BrowserEnv.ts';

/** What every part of a session (microphone, output, transport) gets besides its own events. */
export interface PartContext {
  env: BrowserEnv;
  logger: Logger;
  /** The `debug` option: whether the logger prints, so parts in other threads send it their lines. */
  debug: boolean;
  /** The `workletUrl` option, when the site hosts the worklet itself. */
  workletUrl: string | undefined;
  /** The `workerUrl` option, when the site hosts the Worker itself. */
  workerUrl: string | undefined;
}
