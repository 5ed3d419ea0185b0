import { AthosRoleplayError, create, RoleplaySession } from '@useathos/sdk';
import { type UseRoleplaySessionOptions, type UseRoleplaySessionResult, useRoleplaySession } from '@useathos/sdk/react';
import { act, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeParts } from '../sdk/fakeParts.ts';

// The hook against real sessions whose browser parts are the SDK unit tests' fakes: `create()`
// is replaced only because happy-dom's user agent is not a supported browser.
vi.mock('@useathos/sdk', async (importOriginal) => ({ ...(await importOriginal<object>()), create: vi.fn() }));

Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true });

let fake: ReturnType<typeof fakeParts>;
let sessions: RoleplaySession[];
let root: Root | undefined;
/** What the component last rendered with. */
let call: UseRoleplaySessionResult;

/** A token function the test settles, recording each call's signal. */
function controlledMint() {
  const pending: Array<{ signal: AbortSignal; resolve: (token: string) => void }> = [];
  const token = vi.fn(
    ({ signal }: { signal: AbortSignal }) => new Promise<string>((resolve) => pending.push({ signal, resolve })),
  );
  return { token, pending };
}

function Probe(props: { options: UseRoleplaySessionOptions }) {
  call = useRoleplaySession(props.options);
  return <p>{call.state}</p>;
}

/** Mounts the probe under StrictMode, as apps run in development. */
async function mount(options: UseRoleplaySessionOptions): Promise<void> {
  root = createRoot(document.createElement('div'));
  await rerender(options);
}

/** Renders the mounted probe again with other options. */
async function rerender(options: UseRoleplaySessionOptions): Promise<void> {
  await act(async () =>
    root?.render(
      <StrictMode>
        <Probe options={options} />
      </StrictMode>,
    ),
  );
}

async function unmount(): Promise<void> {
  await act(async () => root?.unmount());
  root = undefined;
  // The end of the call is scheduled after the unmount (see CallController).
  await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** Lets the session's pending steps (microphone, token, redemption, …) run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

const OPTIONS = { drillKey: 'ma-full-sale', token: async () => 'ast_minted' } satisfies UseRoleplaySessionOptions;

beforeEach(() => {
  fake = fakeParts();
  sessions = [];
  vi.mocked(create)
    .mockReset()
    .mockImplementation((options) => {
      const session = new RoleplaySession(options, fake.parts);
      sessions.push(session);
      return session;
    });
});

afterEach(async () => {
  if (root) await unmount();
});

describe('useRoleplaySession', () => {
  it('starts idle and creates nothing until asked', async () => {
    await mount(OPTIONS);
    expect(call.state).toBe('idle');
    expect(call.session).toBeUndefined();
    expect(call.error).toBeUndefined();
    expect(call.getInputLevel()).toBe(0);
    expect(sessions).toHaveLength(0);
  });

  it('under StrictMode, an auto-connected mount makes one session, one token and one call', async () => {
    const mint = controlledMint();
    await mount({ ...OPTIONS, token: mint.token, autoConnect: true });
    await settle();
    expect(sessions).toHaveLength(1);
    expect(fake.microphone.start).toHaveBeenCalledTimes(1);
    expect(mint.token).toHaveBeenCalledTimes(1);
    mint.pending[0]?.resolve('ast_minted');
    await settle();
    expect(fake.redeem).toHaveBeenCalledTimes(1);
    expect(fake.transport.connect).toHaveBeenCalledTimes(1);
    expect(call.state).toBe('connected');
    expect(call.persona?.name).toBe('Dorothy Hale');
    expect(call.callId).toBe('athos_call_fake');
    expect(call.session).toBe(sessions[0]);
  });

  it('ends the call when the component unmounts', async () => {
    await mount({ ...OPTIONS, autoConnect: true });
    await settle();
    const [session] = sessions;
    expect(session?.state).toBe('connected');
    await unmount();
    expect(session?.state).toBe('ended');
    expect(fake.transport.leave).toHaveBeenCalledTimes(1);
    expect(fake.microphone.stop).toHaveBeenCalled();
  });

  it('unmounted while the token is minted: the mint is cancelled and nothing is redeemed', async () => {
    const mint = controlledMint();
    await mount({ ...OPTIONS, token: mint.token, autoConnect: true });
    await settle();
    const [pending] = mint.pending;
    expect(pending?.signal.aborted).toBe(false);
    await unmount();
    expect(pending?.signal.aborted).toBe(true);
    pending?.resolve('ast_late');
    await settle();
    expect(fake.redeem).not.toHaveBeenCalled();
    expect(fake.microphone.stop).toHaveBeenCalled();
    expect(sessions[0]?.state).toBe('ended');
  });

  it('connect() while a call starts or runs starts nothing new and shares its promise', async () => {
    await mount(OPTIONS);
    let first: Promise<void> | undefined;
    let second: Promise<void> | undefined;
    await act(async () => {
      first = call.connect();
      second = call.connect();
    });
    expect(second).toBe(first);
    await settle();
    await act(() => call.connect());
    expect(sessions).toHaveLength(1);
    expect(call.state).toBe('connected');
  });

  it('after a call ended, connect() starts a new session with the newest options, and clears the last end', async () => {
    const firstToken = vi.fn(async () => 'ast_first');
    const secondToken = vi.fn(async () => 'ast_second');
    await mount({ ...OPTIONS, token: firstToken });
    await act(() => call.connect());
    await act(() => call.disconnect());
    expect(call.state).toBe('ended');
    expect(call.ended).toMatchObject({ callId: 'athos_call_fake', reason: 'client' });
    await rerender({ ...OPTIONS, token: secondToken });
    await act(() => call.connect());
    expect(sessions).toHaveLength(2);
    expect(call.session).toBe(sessions[1]);
    expect(call.ended).toBeUndefined();
    expect(firstToken).toHaveBeenCalledTimes(1);
    expect(secondToken).toHaveBeenCalledTimes(1);
    expect(fake.redeem.mock.calls.map(([request]) => request.token)).toEqual(['ast_first', 'ast_second']);
  });

  it('a failed start lands in error (connect() resolves), and the next call clears it', async () => {
    const token = vi.fn(async (): Promise<string> => {
      throw new TypeError('Failed to fetch');
    });
    await mount({ ...OPTIONS, token });
    await act(() => call.connect());
    expect(call.state).toBe('ended');
    expect(call.error?.code).toBe('INVALID_TOKEN');
    token.mockResolvedValueOnce('ast_minted');
    await act(() => call.connect());
    expect(call.state).toBe('connected');
    expect(call.error).toBeUndefined();
  });

  it('an error that does not end the call is shown while the call goes on', async () => {
    await mount(OPTIONS);
    await act(() => call.connect());
    const blocked = new AthosRoleplayError('AUDIO_PLAYBACK_BLOCKED', 'blocked', { phase: 'media' });
    await act(async () => fake.handles.output?.onError(blocked));
    expect(call.error).toBe(blocked);
    expect(call.state).toBe('connected');
    await act(() => call.resumeAudio());
    expect(fake.output.resume).toHaveBeenCalledTimes(1);
  });

  it('an unsupported browser is an error before any session, not a throw', async () => {
    const unsupported = new AthosRoleplayError('BROWSER_NOT_SUPPORTED', 'Safari', { phase: 'create' });
    vi.mocked(create).mockImplementationOnce(() => {
      throw unsupported;
    });
    await mount(OPTIONS);
    await act(() => call.connect());
    expect(call.state).toBe('idle');
    expect(call.error).toBe(unsupported);
    expect(call.session).toBeUndefined();
  });

  it('mirrors mute, speaking and levels of the live call', async () => {
    await mount(OPTIONS);
    await expect(call.mute()).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await act(() => call.connect());
    expect(call.getInputLevel()).toBe(0.5);
    expect(call.getOutputLevel()).toBe(0.25);
    await act(async () => fake.handles.output?.onSpeakingChange(true));
    expect(call.personaSpeaking).toBe(true);
    await act(() => call.mute());
    expect(call.muted).toBe(true);
    expect(call.getInputLevel()).toBe(0);
    await act(() => call.unmute());
    expect(call.muted).toBe(false);
  });

  it('returns the same object until the call changes, so it can be a dependency', async () => {
    await mount(OPTIONS);
    const before = call;
    await rerender({ ...OPTIONS });
    expect(call).toBe(before);
    await act(() => call.connect());
    expect(call).not.toBe(before);
    expect(call.connect).toBe(before.connect);
    expect(call.getInputLevel).toBe(before.getInputLevel);
  });

  it('renders on the server without creating a session', () => {
    const html = renderToString(<Probe options={{ ...OPTIONS, autoConnect: true }} />);
    expect(html).toBe('<p>idle</p>');
    expect(create).not.toHaveBeenCalled();
  });
});
