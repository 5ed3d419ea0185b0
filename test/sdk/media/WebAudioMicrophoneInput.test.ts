import { afterEach, describe, expect, it, vi } from 'vitest';
import { AthosRoleplayError } from '../../../src/errors/AthosRoleplayError.ts';
import { WebAudioMicrophoneInput } from '../../../src/media/WebAudioMicrophoneInput.ts';
import { domException, FakeStream, FakeTrack, fakeLink, fakeMediaEnv, withAudio } from './fakeMediaEnv.ts';

function setup() {
  const fake = fakeMediaEnv();
  const events = { onSpeakingChange: vi.fn(), onError: vi.fn() };
  const microphone = withAudio(WebAudioMicrophoneInput, events, fake.context);
  const worklet = () => fake.created.worklets[0]!;
  const audioContext = () => fake.created.contexts[0]!;
  return { ...fake, events, microphone, worklet, audioContext };
}

async function started() {
  const setup_ = setup();
  await setup_.microphone.start(new AbortController().signal, fakeLink());
  return setup_;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WebAudioMicrophoneInput', () => {
  afterEach(() => document.body.replaceChildren());

  it('asks for one channel with echo cancellation, noise suppression and gain control', async () => {
    const { mediaDevices } = await started();
    expect(mediaDevices.getUserMedia).toHaveBeenCalledWith({
      audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 },
    });
  });

  it('captures through the worklet, told the context rate, loaded from a Blob URL', async () => {
    const fake = setup();
    fake.FakeAudioContext.sampleRate = 44_100;
    await fake.microphone.start(new AbortController().signal, fakeLink());
    fake.FakeAudioContext.sampleRate = 48_000;
    expect(fake.audioContext().audioWorklet.addModule).toHaveBeenCalledWith('blob:athos-worklet');
    expect(fake.URL.revokeObjectURL).toHaveBeenCalledWith('blob:athos-worklet');
    expect(fake.worklet().name).toBe('athos-capture');
    expect(fake.worklet().options).toMatchObject({
      numberOfOutputs: 0,
      channelCount: 1,
      processorOptions: { sampleRate: 44_100 },
    });
    expect(fake.audioContext().sources[0]!.connect).toHaveBeenCalledWith(fake.worklet());
  });

  it('loads the worklet from workletUrl when the site hosts it', async () => {
    const fake = setup();
    const microphone = withAudio(WebAudioMicrophoneInput, fake.events, { ...fake.context, workletUrl: '/athos-worklet.js' });
    await microphone.start(new AbortController().signal, fakeLink());
    expect(fake.audioContext().audioWorklet.addModule).toHaveBeenCalledWith('/athos-worklet.js');
    expect(fake.URL.createObjectURL).not.toHaveBeenCalled();
  });

  it('fails start() with INTERNAL_ERROR and releases the microphone when the capture context never runs', async () => {
    vi.useFakeTimers();
    try {
      const fake = setup();
      fake.FakeAudioContext.stuck = true;
      const start = fake.microphone.start(new AbortController().signal, fakeLink());
      const failure = expect(start).rejects.toMatchObject({ code: 'INTERNAL_ERROR', phase: 'media', retryable: false });
      let settled = false;
      void start.catch(() => undefined).finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(4_999);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await failure;
      await expect(start).rejects.toThrow(
        /did not start the audio of the microphone within 5 s \(its AudioContext stayed suspended\).*without a working audio output device/,
      );
      expect(fake.created.streams[0]!.tracks[0]!.readyState).toBe('ended');
      await vi.advanceTimersByTimeAsync(200);
      expect(fake.audioContext().close).toHaveBeenCalled();
      expect(fake.events.onError).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands the link over to the worklet, whose frames never reach the main thread, and reports voice activity', async () => {
    const fake = setup();
    const link = fakeLink();
    await fake.microphone.start(new AbortController().signal, link);
    expect(fake.worklet().port.postMessage).toHaveBeenCalledWith({ link }, [link]);
    fake.worklet().port.receive({ speaking: true });
    expect(fake.events.onSpeakingChange.mock.calls).toEqual([[true]]);
  });

  it.each([
    ['NotAllowedError', 'MIC_PERMISSION_DENIED'],
    ['SecurityError', 'MIC_PERMISSION_DENIED'],
    ['NotFoundError', 'NO_MIC_AVAILABLE'],
    ['OverconstrainedError', 'NO_MIC_AVAILABLE'],
    ['NotReadableError', 'MIC_DEVICE_DISCONNECTED'],
    ['AbortError', 'MIC_DEVICE_DISCONNECTED'],
    ['InvalidStateError', 'INTERNAL_ERROR'],
  ])('maps %s from getUserMedia to %s (phase media)', async (name, code) => {
    const { microphone, mediaDevices, created } = setup();
    mediaDevices.getUserMedia.mockRejectedValueOnce(domException(name));
    const error = await microphone.start(new AbortController().signal, fakeLink()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code, phase: 'media' });
    expect((error as Error).message).toContain(name);
    // The call's context, opened while the browser was asked, is closed again.
    await flush();
    expect(created.contexts.map((context) => context.state)).toEqual(['closed']);
  });

  it('reports NO_MIC_AVAILABLE where navigator.mediaDevices is missing', async () => {
    const fake = setup();
    const env = { ...fake.env, navigator: {} } as typeof fake.env;
    const microphone = withAudio(WebAudioMicrophoneInput, fake.events, { ...fake.context, env });
    await expect(microphone.start(new AbortController().signal, fakeLink())).rejects.toMatchObject({
      code: 'NO_MIC_AVAILABLE',
      phase: 'media',
    });
  });

  it('reports a worklet that cannot load as INTERNAL_ERROR naming workletUrl, and releases everything', async () => {
    const fake = setup();
    fake.FakeAudioContext.addModuleError = domException('AbortError');
    const error = await fake.microphone.start(new AbortController().signal, fakeLink()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'INTERNAL_ERROR', phase: 'media' });
    expect((error as Error).message).toContain('workletUrl');
    expect(fake.created.streams[0]!.tracks[0]!.readyState).toBe('ended');
    await vi.waitFor(() => expect(fake.audioContext().close).toHaveBeenCalled());
  });

  it('rejects at once when aborted during the permission prompt, and releases a microphone granted later', async () => {
    const { microphone, mediaDevices, created } = setup();
    const late = new FakeStream(new FakeTrack('default'));
    let grant!: () => void;
    mediaDevices.getUserMedia.mockImplementationOnce(() => new Promise((resolve) => (grant = () => resolve(late))));
    const cancel = new AbortController();
    const start = microphone.start(cancel.signal, fakeLink());
    const reason = new Error('cancelled');
    cancel.abort(reason);
    await expect(start).rejects.toBe(reason);
    grant();
    await flush();
    expect(late.tracks[0]!.readyState).toBe('ended');
    expect(created.contexts.map((context) => context.state)).toEqual(['closed']);
  });

  it('releases a microphone granted after stop()', async () => {
    const { microphone, mediaDevices, created } = setup();
    const late = new FakeStream(new FakeTrack('default'));
    let grant!: () => void;
    mediaDevices.getUserMedia.mockImplementationOnce(() => new Promise((resolve) => (grant = () => resolve(late))));
    const start = microphone.start(new AbortController().signal, fakeLink());
    microphone.stop();
    grant();
    await start;
    await flush();
    expect(late.tracks[0]!.readyState).toBe('ended');
    expect(created.contexts.map((context) => context.state)).toEqual(['closed']);
  });

  it('while muted, tells the worklet (which then sends no frame), ignores voice activity, reports not speaking once', async () => {
    const { microphone, worklet, events } = await started();
    worklet().port.receive({ speaking: true });
    microphone.setMuted(true);
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith({ muted: true });
    worklet().port.receive({ speaking: true });
    microphone.setMuted(true);
    expect(events.onSpeakingChange.mock.calls).toEqual([[true], [false]]);
    microphone.setMuted(false);
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith({ muted: false });
  });

  it('on a track that ends, reports MIC_DEVICE_DISCONNECTED once and falls back to the default microphone', async () => {
    const { microphone, mediaDevices, created, worklet, audioContext, events } = await started();
    await microphone.setDevice('mic-1');
    const usb = created.streams[1]!;
    usb.tracks[0]!.end();
    usb.tracks[0]!.end();
    await flush();
    expect(events.onError).toHaveBeenCalledTimes(1);
    expect(events.onError.mock.calls[0]![0]).toMatchObject({ code: 'MIC_DEVICE_DISCONNECTED', phase: 'media' });
    expect(mediaDevices.getUserMedia).toHaveBeenCalledTimes(3);
    expect(mediaDevices.getUserMedia.mock.lastCall![0].audio).not.toHaveProperty('deviceId');
    const [, usbSource, fallbackSource] = audioContext().sources;
    expect(usbSource!.disconnect).toHaveBeenCalled();
    expect(fallbackSource!.connect).toHaveBeenCalledWith(worklet());
    expect(created.worklets).toHaveLength(1);
  });

  it('reports MIC_DEVICE_DISCONNECTED when the active microphone leaves the device list', async () => {
    const { microphone, mediaDevices, events } = await started();
    await microphone.setDevice('mic-2');
    mediaDevices.unplug('mic-1');
    await flush();
    expect(events.onError).not.toHaveBeenCalled();
    mediaDevices.unplug('mic-2');
    await flush();
    expect(events.onError).toHaveBeenCalledTimes(1);
    expect(events.onError.mock.calls[0]![0]).toMatchObject({ code: 'MIC_DEVICE_DISCONNECTED' });
    expect(mediaDevices.getUserMedia).toHaveBeenCalledTimes(3);
  });

  it('goes on without a microphone when none is left to fall back to', async () => {
    const { mediaDevices, events, logger, created } = await started();
    mediaDevices.devices = [];
    created.streams[0]!.tracks[0]!.end();
    await flush();
    expect(events.onError).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('fall back'),
      expect.objectContaining({ code: 'NO_MIC_AVAILABLE' }),
    );
  });

  it('switches to the chosen microphone into the same worklet and releases the previous one', async () => {
    const { microphone, mediaDevices, created, worklet, audioContext } = await started();
    await microphone.setDevice('mic-2');
    expect(mediaDevices.getUserMedia.mock.lastCall![0].audio).toMatchObject({ deviceId: { exact: 'mic-2' } });
    expect(audioContext().sources[1]!.connect).toHaveBeenCalledWith(worklet());
    expect(audioContext().sources[0]!.disconnect).toHaveBeenCalled();
    expect(created.streams[0]!.tracks[0]!.readyState).toBe('ended');
    expect(created.streams[1]!.tracks[0]!.readyState).toBe('live');
    expect(created.worklets).toHaveLength(1);
  });

  it('rejects an unknown device id with INVALID_REQUEST and keeps the current microphone', async () => {
    const { microphone, mediaDevices, created } = await started();
    const error = await microphone.setDevice('no-such-mic').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code: 'INVALID_REQUEST', phase: 'media' });
    expect((error as Error).message).toContain('no-such-mic');
    expect(mediaDevices.getUserMedia).toHaveBeenCalledTimes(1);
    expect(created.streams[0]!.tracks[0]!.readyState).toBe('live');
  });

  it('measures the level of the microphone in use, muted or not, across a device switch; 0 once stopped', async () => {
    const { microphone, created, audioContext } = setup();
    expect(microphone.level()).toBe(0);
    await microphone.start(new AbortController().signal, fakeLink());
    const analyser = created.analysers[0]!;
    expect(audioContext().sources[0]!.connect).toHaveBeenCalledWith(analyser);
    analyser.amplitude = 1;
    expect(microphone.level()).toBe(1);
    microphone.setMuted(true);
    expect(microphone.level()).toBe(1);
    await microphone.setDevice('mic-2');
    expect(audioContext().sources[1]!.connect).toHaveBeenCalledWith(analyser);
    microphone.stop();
    expect(microphone.level()).toBe(0);
  });

  it('resumes an AudioContext the browser suspended', async () => {
    const { audioContext } = await started();
    audioContext().setState('suspended');
    expect(audioContext().resume).toHaveBeenCalled();
    await flush();
    expect(audioContext().state).toBe('running');
  });

  it('stop() releases the microphone, closes the context and removes every listener; twice is fine', async () => {
    const { microphone, mediaDevices, created, worklet, audioContext, events } = await started();
    microphone.stop();
    microphone.stop();
    expect(created.streams[0]!.tracks[0]!.readyState).toBe('ended');
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith('stop');
    expect(audioContext().close).not.toHaveBeenCalled();
    worklet().port.receive('stopped');
    expect(audioContext().close).toHaveBeenCalledTimes(1);
    expect(worklet().port.close).toHaveBeenCalled();
    expect(worklet().port.onmessage).toBeNull();
    mediaDevices.unplug('default');
    created.streams[0]!.tracks[0]!.end();
    await flush();
    expect(mediaDevices.enumerateDevices).not.toHaveBeenCalled();
    expect(events.onError).not.toHaveBeenCalled();
  });
});
