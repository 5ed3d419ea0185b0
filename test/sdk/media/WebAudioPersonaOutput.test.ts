import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebAudioPersonaOutput } from '../../../src/media/WebAudioPersonaOutput.ts';
import { domException, fakeLink, fakeMediaEnv, withAudio } from './fakeMediaEnv.ts';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';

function setup(options: { webrtc?: boolean; userAgent?: string } = {}) {
  const fake = fakeMediaEnv();
  let env = options.webrtc === false ? { ...fake.env, RTCPeerConnection: undefined } : fake.env;
  if (options.userAgent) env = { ...env, navigator: { ...env.navigator, userAgent: options.userAgent } as Navigator };
  const events = { onSpeakingChange: vi.fn(), onError: vi.fn(), onSpeakerLost: vi.fn() };
  const output = withAudio(WebAudioPersonaOutput, events, { ...fake.context, env });
  const play = vi.spyOn(window.HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  const setSinkId = vi.spyOn(window.HTMLMediaElement.prototype, 'setSinkId').mockResolvedValue(undefined);
  const worklet = () => fake.created.worklets[0]!;
  const audioContext = () => fake.created.contexts[0]!;
  const element = () => document.querySelector('audio');
  const link = fakeLink();
  /** Prepares the output fed from `link`, then starts it. */
  const start = async () => {
    await output.prepare(link);
    await output.start();
  };
  return { ...fake, events, output, play, setSinkId, worklet, audioContext, element, link, start };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('WebAudioPersonaOutput', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
    document.body.replaceChildren();
  });

  it('plays through a hidden <audio> element fed by a peer-connection loopback', async () => {
    const { output, created, worklet, audioContext, element, play, link } = setup();
    await output.prepare(link);
    expect(play).not.toHaveBeenCalled();
    expect(worklet().port.postMessage).toHaveBeenCalledWith({ link }, [link]);
    await output.start();
    expect(worklet().name).toBe('athos-playback');
    expect(worklet().options).toMatchObject({
      numberOfInputs: 0,
      outputChannelCount: [1],
      processorOptions: { sampleRate: 48_000 },
    });
    const destination = audioContext().destination!;
    expect(worklet().connect).toHaveBeenCalledWith(destination);
    const [sender, receiver] = created.peers;
    expect(sender!.sent[0]!.stream).toBe(destination.stream);
    expect(element()?.hidden).toBe(true);
    expect(element()?.srcObject).toBe(receiver!.received);
    expect(play).toHaveBeenCalled();
  });

  it('plays the Web Audio stream directly where WebRTC is missing', async () => {
    const { start, audioContext, element } = setup({ webrtc: false });
    await start();
    expect(element()?.srcObject).toBe(audioContext().destination!.stream);
  });

  it('plays the Web Audio stream directly in Firefox, whose echo canceller needs no loopback', async () => {
    const { start, created, audioContext, element } = setup({ userAgent: FIREFOX });
    await start();
    expect(created.peers).toEqual([]);
    expect(element()?.srcObject).toBe(audioContext().destination!.stream);
  });

  it('plays the Web Audio stream directly when the loopback fails', async () => {
    const { start, created, audioContext, element, logger } = setup();
    await start();
    created.peers[1]!.fail();
    expect(element()?.srcObject).toBe(audioContext().destination!.stream);
    expect(logger.warn).toHaveBeenCalled();
  });

  it('reports speaking as the worklet hears it, on change only', async () => {
    const { start, worklet, events } = setup();
    await start();
    worklet().port.receive({ speaking: true });
    worklet().port.receive({ speaking: true });
    worklet().port.receive({ speaking: false });
    expect(events.onSpeakingChange.mock.calls).toEqual([[true], [false]]);
  });

  it('reports AUDIO_PLAYBACK_BLOCKED once, has the worklet drop audio meanwhile, and plays again after resume()', async () => {
    const { start, output, worklet, events, play } = setup();
    play.mockRejectedValue(domException('NotAllowedError'));
    await start();
    expect(events.onError).toHaveBeenCalledTimes(1);
    expect(events.onError.mock.calls[0]![0]).toMatchObject({ code: 'AUDIO_PLAYBACK_BLOCKED', phase: 'media' });
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith({ blocked: true });
    await expect(output.resume()).rejects.toMatchObject({ code: 'AUDIO_PLAYBACK_BLOCKED' });
    expect(events.onError).toHaveBeenCalledTimes(1);

    play.mockResolvedValue(undefined);
    await output.resume();
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith({ blocked: false });
  });

  it('counts an AudioContext that stays suspended as blocked when the browser says autoplay is disallowed, until resume() starts it', async () => {
    vi.useFakeTimers();
    const { output, events, FakeAudioContext, audioContext, start } = setup();
    FakeAudioContext.blocked = true;
    const started = start();
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    expect(events.onError).toHaveBeenCalledTimes(1);
    expect(events.onError.mock.calls[0]![0]).toMatchObject({ code: 'AUDIO_PLAYBACK_BLOCKED' });
    FakeAudioContext.blocked = false;
    await output.resume();
    expect(audioContext().state).toBe('running');
  });

  it('fails start() with INTERNAL_ERROR, not AUDIO_PLAYBACK_BLOCKED, when the context never runs though autoplay is allowed', async () => {
    vi.useFakeTimers();
    const { output, events, FakeAudioContext, link } = setup();
    FakeAudioContext.stuck = true;
    await output.prepare(link);
    const start = output.start();
    const failure = expect(start).rejects.toMatchObject({ code: 'INTERNAL_ERROR', phase: 'media', retryable: false });
    let settled = false;
    void start.catch(() => undefined).finally(() => (settled = true));
    // One second for the resume attempt, then the 5 s start bound.
    await vi.advanceTimersByTimeAsync(1_000 + 4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await failure;
    await expect(start).rejects.toThrow(
      /did not start the audio of the persona's voice within 5 s \(its AudioContext stayed suspended\).*without a working audio output device/,
    );
    expect(events.onError).not.toHaveBeenCalled();
    FakeAudioContext.stuck = false;
    output.stop();
  });

  it('resumes an AudioContext the browser suspends mid-call', async () => {
    const { start, audioContext, events } = setup();
    await start();
    audioContext().setState('suspended');
    await flush();
    expect(audioContext().resume).toHaveBeenCalled();
    expect(audioContext().state).toBe('running');
    expect(events.onError).not.toHaveBeenCalled();
  });

  it('starts a new blocked episode when the element is paused mid-call and may not play again', async () => {
    const { start, output, element, events, play } = setup();
    await start();
    play.mockRejectedValue(domException('NotAllowedError'));
    element()!.dispatchEvent(new Event('pause'));
    await flush();
    expect(events.onError).toHaveBeenCalledTimes(1);
    play.mockResolvedValue(undefined);
    await output.resume();
    play.mockRejectedValue(domException('NotAllowedError'));
    element()!.dispatchEvent(new Event('pause'));
    await flush();
    expect(events.onError).toHaveBeenCalledTimes(2);
  });

  it('stop() removes the element, closes the peers and the context, stops the tracks; twice is fine', async () => {
    const { start, output, created, audioContext, worklet, element, events, link } = setup();
    await start();
    output.stop();
    output.stop();
    expect(element()).toBeNull();
    expect(created.peers.every((peer) => peer.close.mock.calls.length > 0)).toBe(true);
    expect(worklet().port.postMessage).toHaveBeenLastCalledWith('stop');
    expect(audioContext().close).not.toHaveBeenCalled();
    worklet().port.receive('stopped');
    expect(audioContext().close).toHaveBeenCalledTimes(1);
    expect(audioContext().destination!.stream.tracks[0]!.readyState).toBe('ended');
    expect(worklet().port.close).toHaveBeenCalled();
    audioContext().setState('suspended');
    expect(worklet().port.postMessage.mock.calls).toEqual([[{ link }, [link]], ['stop']]);
    expect(events.onError).not.toHaveBeenCalled();
  });

  it('measures the level of what the worklet plays; 0 once stopped', async () => {
    const { output, start, created, worklet } = setup();
    expect(output.level()).toBe(0);
    await start();
    const analyser = created.analysers[0]!;
    expect(worklet().connect).toHaveBeenCalledWith(analyser);
    analyser.amplitude = 0.1; // -20 dBFS
    expect(output.level()).toBeCloseTo(2 / 3);
    output.stop();
    expect(output.level()).toBe(0);
  });

  it("reports the jitter buffer's counters as the worklet last sent them, between speaking reports", async () => {
    const { output, start, worklet, events } = setup();
    await start();
    expect(output.stats()).toEqual({ jitterBufferMs: 0, lateFrames: 0, concealedFrames: 0 });
    worklet().port.receive({ counters: { depth: 960, late: 1, concealed: 4 } });
    worklet().port.receive({ speaking: true });
    expect(output.stats()).toEqual({ jitterBufferMs: 60, lateFrames: 1, concealedFrames: 4 });
    expect(events.onSpeakingChange.mock.calls).toEqual([[true]]);
  });

  it('sets the volume on the element, before and after it exists', async () => {
    const { output, start, element } = setup();
    output.setVolume(0.4);
    await start();
    expect(element()!.volume).toBe(0.4);
    output.setVolume(0);
    expect(element()!.volume).toBe(0);
  });

  it('plays on a speaker chosen before start, and switches mid-call', async () => {
    const { output, start, setSinkId } = setup();
    await output.setSpeaker('speaker');
    expect(setSinkId).not.toHaveBeenCalled();
    await start();
    expect(setSinkId).toHaveBeenLastCalledWith('speaker');
    await output.setSpeaker('');
    expect(setSinkId).toHaveBeenLastCalledWith('');
  });

  it.each([
    ['NotFoundError', 'INVALID_REQUEST'],
    ['NotAllowedError', 'INVALID_REQUEST'],
    ['AbortError', 'INTERNAL_ERROR'],
  ])('maps a setSinkId %s mid-call to %s', async (name, code) => {
    const { output, start, setSinkId } = setup();
    await start();
    setSinkId.mockRejectedValueOnce(domException(name));
    await expect(output.setSpeaker('speaker')).rejects.toMatchObject({ code, phase: 'media' });
  });

  it('gives up on an output the browser does not switch to within 5 s', async () => {
    const { output, start, setSinkId } = setup();
    await start();
    vi.useFakeTimers();
    setSinkId.mockReturnValueOnce(new Promise<undefined>(() => undefined));
    const switching = output.setSpeaker('speaker').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await switching).toMatchObject({ code: 'INTERNAL_ERROR', message: expect.stringContaining('TimeoutError') });
  });

  it('falls back to the default output and says so when the chosen speaker leaves the device list', async () => {
    const { output, start, setSinkId, mediaDevices, events } = setup();
    await output.setSpeaker('speaker');
    await start();
    mediaDevices.unplug('mic-2');
    await flush();
    expect(events.onSpeakerLost).not.toHaveBeenCalled();
    mediaDevices.unplug('speaker');
    await flush();
    expect(setSinkId).toHaveBeenLastCalledWith('');
    expect(events.onSpeakerLost.mock.calls).toEqual([['speaker']]);
    mediaDevices.unplug('mic-1');
    await flush();
    expect(events.onSpeakerLost).toHaveBeenCalledTimes(1);
  });

  it('falls back to the default output when the speaker chosen before start is refused then', async () => {
    const { output, start, setSinkId, events } = setup();
    await output.setSpeaker('gone');
    setSinkId.mockRejectedValueOnce(domException('NotFoundError'));
    await start();
    expect(events.onSpeakerLost.mock.calls).toEqual([['gone']]);
  });

  it('stops listening for device changes once stopped', async () => {
    const { output, start, mediaDevices, events } = setup();
    await output.setSpeaker('speaker');
    await start();
    output.stop();
    mediaDevices.unplug('speaker');
    await flush();
    expect(events.onSpeakerLost).not.toHaveBeenCalled();
  });
});
