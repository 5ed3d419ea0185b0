import type { PartContext } from '../session/SessionParts.ts';
import type { PersonaOutput, PersonaOutputEvents } from './PersonaOutput.ts';

/** Placeholder; implemented in the media issue. */
export class WebAudioPersonaOutput implements PersonaOutput {
  constructor(_events: PersonaOutputEvents, _context: PartContext) {}
  async start(): Promise<void> {}
  push(_pcm: Int16Array): void {}
  clear(): void {}
  async resume(): Promise<void> {}
  stop(): void {}
}
