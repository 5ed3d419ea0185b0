/// <reference path="../worklet-source.d.ts" />

import type { PartContext } from '../browser/PartContext.ts';
import { AthosRoleplayError } from '../errors/AthosRoleplayError.ts';
import workletSource from './worklet/entry.ts?worklet-source';

/**
 * Adds the SDK's audio worklet module to `audioContext`: from `context.workletUrl` when the site
 * hosts it, otherwise from the bundled source through a Blob URL.
 *
 * Rejects with `INTERNAL_ERROR` (phase `media`) when the module cannot be loaded, typically a
 * Content-Security-Policy that forbids `blob:`.
 */
export async function loadWorklet(audioContext: BaseAudioContext, context: PartContext): Promise<void> {
  const { env, workletUrl } = context;
  const url = workletUrl ?? env.URL.createObjectURL(new env.Blob([workletSource], { type: 'text/javascript' }));
  try {
    await audioContext.audioWorklet.addModule(url);
  } catch (error) {
    const name = error instanceof Error ? error.name : String(error);
    const hint =
      workletUrl === undefined
        ? 'if the page forbids blob: scripts, host the worklet and set `workletUrl`'
        : `check that ${workletUrl} serves the SDK's worklet`;
    throw new AthosRoleplayError('INTERNAL_ERROR', `The audio worklet could not be loaded (${name}); ${hint}.`, {
      phase: 'media',
      cause: error,
    });
  } finally {
    if (workletUrl === undefined) env.URL.revokeObjectURL(url);
  }
}
