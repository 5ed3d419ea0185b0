/// <reference path="../worklet-source.d.ts" />

import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import workerSource from './entry.ts?worker-source';

/** A started Worker, and how to let go of the URL it was loaded from. */
export interface StartedWorker {
  worker: Worker;
  /** Revokes the Blob URL, if any; call it once the Worker's script runs. Idempotent. */
  releaseUrl(): void;
}

/**
 * Starts the SDK's Worker: from `context.workerUrl` when the site hosts it, otherwise from the
 * bundled source through a Blob URL.
 *
 * Throws `INTERNAL_ERROR` (phase `connect`) when the browser refuses to start it, typically a
 * Content-Security-Policy that forbids `blob:` workers. A script that fails to load later is
 * reported by the Worker's `error` event; {@link workerLoadError} describes it.
 */
export function startWorker(context: PartContext): StartedWorker {
  const { env, workerUrl } = context;
  const url = workerUrl ?? env.URL.createObjectURL(new env.Blob([workerSource], { type: 'text/javascript' }));
  let released = workerUrl !== undefined;
  const releaseUrl = () => {
    if (!released) env.URL.revokeObjectURL(url);
    released = true;
  };
  try {
    return { worker: new env.Worker(url, { name: 'athos-voice' }), releaseUrl };
  } catch (error) {
    releaseUrl();
    throw workerLoadError(context, error);
  }
}

/** The error for a Worker that could not be started, with a hint at the likely cause. */
export function workerLoadError({ workerUrl }: PartContext, cause: unknown): AthosRoleplayError {
  const name = cause instanceof Error ? cause.name : 'a script error';
  const hint =
    workerUrl === undefined
      ? 'if the page forbids blob: workers, host the Worker and set `workerUrl`'
      : `check that ${workerUrl} serves the SDK's Worker from the page's origin`;
  return new AthosRoleplayError('INTERNAL_ERROR', `The SDK's Worker could not be started (${name}); ${hint}.`, {
    phase: 'connect',
    cause,
  });
}
