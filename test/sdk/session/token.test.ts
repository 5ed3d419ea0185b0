import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AthosEventName, AthosRoleplayError, RoleplaySession } from '../../../src/index.ts';
import { MINT_TIMEOUT_MS } from '../../../src/session/token.ts';
import { fakeParts } from '../fakeParts.ts';

const DRILL = { drillKey: 'ma-full-sale' };

function record(session: RoleplaySession): AthosEventName[] {
  const names: AthosEventName[] = [];
  for (const name of ['connecting', 'ready', 'error', 'ended'] as const) session.on(name, () => void names.push(name));
  return names;
}

/** A token function whose result the test decides, recording the signal it got. */
function controlledMint() {
  let settle!: { resolve: (token: string) => void; reject: (error: unknown) => void };
  const mint = vi.fn(
    ({ signal: _signal }: { signal: AbortSignal }) =>
      new Promise<string>((resolve, reject) => {
        settle = { resolve, reject };
      }),
  );
  return { mint, settle: () => settle, signal: () => mint.mock.calls[0]?.[0].signal };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe('token as a function', () => {
  it('is called once, after the microphone, and its token is redeemed', async () => {
    const fake = fakeParts();
    const mint = vi.fn(async () => {
      fake.calls.push('mint');
      return 'ast_minted';
    });
    const session = new RoleplaySession({ ...DRILL, token: mint }, fake.parts);
    await session.connect();
    expect(mint).toHaveBeenCalledTimes(1);
    expect(fake.calls.indexOf('microphone.start')).toBeLessThan(fake.calls.indexOf('mint'));
    expect(fake.calls.indexOf('mint')).toBeLessThan(fake.calls.indexOf('redeem'));
    expect(fake.redeem.mock.calls[0]?.[0].token).toBe('ast_minted');
  });

  it('is not called when the microphone is refused: nothing is minted', async () => {
    const fake = fakeParts();
    fake.microphone.start.mockRejectedValueOnce(new AthosRoleplayError('MIC_PERMISSION_DENIED', 'no', { phase: 'media' }));
    const mint = vi.fn(async () => 'ast_minted');
    const session = new RoleplaySession({ ...DRILL, token: mint }, fake.parts);
    await expect(session.connect()).rejects.toMatchObject({ code: 'MIC_PERMISSION_DENIED' });
    expect(mint).not.toHaveBeenCalled();
  });

  it('disconnect() while minting cancels: its signal aborts, the late token is ignored, nothing runs', async () => {
    const fake = fakeParts();
    const { mint, settle, signal } = controlledMint();
    const session = new RoleplaySession({ ...DRILL, token: mint }, fake.parts);
    const names = record(session);
    const connecting = session.connect();
    await flush();
    expect(signal()?.aborted).toBe(false);
    await session.disconnect();
    expect(signal()?.aborted).toBe(true);
    await expect(connecting).resolves.toBeUndefined();
    settle().resolve('ast_late');
    await flush();
    expect(fake.redeem).not.toHaveBeenCalled();
    expect(names).toEqual(['connecting']);
    expect(session.state).toBe('ended');
    expect(fake.microphone.stop).toHaveBeenCalled();
    expect(fake.output.stop).toHaveBeenCalled();
  });

  type Settle = ReturnType<ReturnType<typeof controlledMint>['settle']>;
  it.each([
    ['rejects', (mint: Settle) => mint.reject(new TypeError('backend down')), true],
    ['resolves to a blank token', (mint: Settle) => mint.resolve('  '), false],
    ['resolves to a non-string', (mint: Settle) => mint.resolve(42 as unknown as string), false],
  ] as const)('that %s ends the call with INVALID_TOKEN before any redemption', async (_label, act, retryable) => {
    const fake = fakeParts();
    const { mint, settle } = controlledMint();
    const session = new RoleplaySession({ ...DRILL, token: mint }, fake.parts);
    const names = record(session);
    const connecting = session.connect();
    await flush();
    act(settle());
    await expect(connecting).rejects.toMatchObject({ code: 'INVALID_TOKEN', phase: 'redeem', retryable });
    expect(fake.redeem).not.toHaveBeenCalled();
    expect(names).toEqual(['connecting', 'error']);
  });

  it('passes an AthosRoleplayError thrown by the function through as it is', async () => {
    const fake = fakeParts();
    const own = new AthosRoleplayError('SERVICE_UNAVAILABLE', 'my backend says wait', { phase: 'redeem' });
    const session = new RoleplaySession({ ...DRILL, token: async () => Promise.reject(own) }, fake.parts);
    await expect(session.connect()).rejects.toBe(own);
  });

  it(`gives up with INVALID_TOKEN after ${MINT_TIMEOUT_MS / 1000} s`, async () => {
    vi.useFakeTimers();
    const fake = fakeParts();
    const { mint } = controlledMint();
    const session = new RoleplaySession({ ...DRILL, token: mint }, fake.parts);
    const connecting = session.connect();
    const outcome = connecting.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(MINT_TIMEOUT_MS - 1);
    expect(session.state).toBe('connecting');
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ code: 'INVALID_TOKEN', retryable: true });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps the minted token out of debug output', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined);
    const fake = fakeParts();
    fake.redeem.mockImplementationOnce(async (request) => {
      throw new Error(`server echoed ${request.token}`);
    });
    const session = new RoleplaySession({ ...DRILL, debug: true, token: async () => 'ast_secret_minted' }, fake.parts);
    const error = (await session.connect().catch((caught: unknown) => caught)) as AthosRoleplayError;
    expect(error.message).not.toContain('ast_secret_minted');
    expect(JSON.stringify(debug.mock.calls)).not.toContain('ast_secret_minted');
    debug.mockRestore();
  });
});
