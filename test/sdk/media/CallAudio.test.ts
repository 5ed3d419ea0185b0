import { afterEach, describe, expect, it, vi } from 'vitest';
import { CallAudio } from '../../../src/media/CallAudio.ts';
import { WebAudioMicrophoneInput } from '../../../src/media/WebAudioMicrophoneInput.ts';
import { WebAudioPersonaOutput } from '../../../src/media/WebAudioPersonaOutput.ts';
import { fakeLink, fakeMediaEnv } from './fakeMediaEnv.ts';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The microphone and the output of one call, as the session builds them. */
function call() {
  const fake = fakeMediaEnv();
  const audio = new CallAudio(fake.context);
  const microphone = new WebAudioMicrophoneInput({ onSpeakingChange: vi.fn(), onError: vi.fn() }, fake.context, audio);
  const output = new WebAudioPersonaOutput(
    { onSpeakingChange: vi.fn(), onError: vi.fn(), onSpeakerLost: vi.fn() },
    fake.context,
    audio,
  );
  return { ...fake, audio, microphone, output };
}

describe('CallAudio', () => {
  afterEach(() => document.body.replaceChildren());

  it('gives the capture and the playback one AudioContext, with the worklet module loaded once', async () => {
    const { microphone, output, created } = call();
    await microphone.start(new AbortController().signal, fakeLink());
    await output.prepare(fakeLink());
    expect(created.contexts).toHaveLength(1);
    expect(created.contexts[0]!.audioWorklet.addModule).toHaveBeenCalledTimes(1);
    expect(created.worklets.map((worklet) => [worklet.name, worklet.context])).toEqual([
      ['athos-capture', created.contexts[0]],
      ['athos-playback', created.contexts[0]],
    ]);
  });

  it('closes the context once both parts stopped and both processors confirmed, not before', async () => {
    const { microphone, output, created } = call();
    await microphone.start(new AbortController().signal, fakeLink());
    await output.prepare(fakeLink());
    const [context] = created.contexts;
    const [capture, playback] = created.worklets;
    microphone.stop();
    await flush();
    expect(capture!.port.postMessage).not.toHaveBeenCalledWith('stop');
    expect(context!.state).toBe('running');
    output.stop();
    expect(capture!.port.postMessage).toHaveBeenLastCalledWith('stop');
    expect(playback!.port.postMessage).toHaveBeenLastCalledWith('stop');
    capture!.port.receive('stopped');
    expect(context!.close).not.toHaveBeenCalled();
    playback!.port.receive('stopped');
    expect(context!.close).toHaveBeenCalledTimes(1);
  });

  it('closes a context whose module is still loading when its only user lets go', async () => {
    const { audio, created } = call();
    const opened = audio.open();
    audio.release();
    await flush();
    expect(created.contexts[0]!.state).toBe('closed');
    await opened;
    await expect(audio.open()).resolves.toMatchObject({ state: 'closed' });
  });

  it('closes the context when the module fails to load, and hands the failure to every user', async () => {
    const { audio, created, FakeAudioContext } = call();
    FakeAudioContext.addModuleError = new DOMException('blocked', 'SecurityError');
    try {
      const first = audio.open();
      const second = audio.open();
      await expect(first).rejects.toMatchObject({ code: 'INTERNAL_ERROR', phase: 'media' });
      await expect(second).rejects.toBe(await first.catch((error: unknown) => error));
      expect(created.contexts).toHaveLength(1);
      expect(created.contexts[0]!.close).toHaveBeenCalled();
    } finally {
      FakeAudioContext.addModuleError = undefined;
    }
  });
});
