import { describe, expect, it } from 'vitest';
import { ATHOS_ERROR_CODES, AthosRoleplayError } from '../../src/index.ts';

describe('ATHOS_ERROR_CODES', () => {
  it('lists the 20 codes of the contract, in order, frozen', () => {
    expect(ATHOS_ERROR_CODES).toEqual([
      'MIC_PERMISSION_DENIED',
      'MIC_DEVICE_DISCONNECTED',
      'NO_MIC_AVAILABLE',
      'NETWORK_LOST',
      'AUDIO_PLAYBACK_BLOCKED',
      'BROWSER_NOT_SUPPORTED',
      'SESSION_ALREADY_CONNECTED',
      'INVALID_API_KEY',
      'API_KEY_REVOKED',
      'INVALID_TOKEN',
      'TOKEN_EXPIRED',
      'TOKEN_ALREADY_USED',
      'IP_NOT_ALLOWED',
      'TENANT_INACTIVE',
      'TENANT_QUOTA_EXCEEDED',
      'INVALID_REQUEST',
      'DRILL_NOT_FOUND',
      'CALL_NOT_FOUND',
      'SERVICE_UNAVAILABLE',
      'INTERNAL_ERROR',
    ]);
    expect(Object.isFrozen(ATHOS_ERROR_CODES)).toBe(true);
  });
});

describe('AthosRoleplayError', () => {
  it('is an Error with a name, a code and structured fields', () => {
    const cause = new TypeError('Failed to fetch');
    const error = new AthosRoleplayError('SERVICE_UNAVAILABLE', 'Athos is unavailable.', {
      phase: 'redeem',
      httpStatus: 503,
      requestId: 'req_1',
      retryAfterMs: 2000,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('AthosRoleplayError');
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'AthosRoleplayError',
      code: 'SERVICE_UNAVAILABLE',
      message: 'Athos is unavailable.',
      phase: 'redeem',
      httpStatus: 503,
      requestId: 'req_1',
      retryAfterMs: 2000,
      retryable: true,
      cause: 'TypeError: Failed to fetch',
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(error.toJSON());
  });

  it('turns an unknown code into INTERNAL_ERROR and keeps it as serverCode', () => {
    const error = new AthosRoleplayError('RATE_LIMITED' as never, 'x', { phase: 'redeem' });
    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.serverCode).toBe('RATE_LIMITED');
  });

  it('defaults retryable from the code and lets details override it', () => {
    expect(new AthosRoleplayError('TOKEN_EXPIRED', 'x', { phase: 'redeem' }).retryable).toBe(false);
    expect(new AthosRoleplayError('NETWORK_LOST', 'x', { phase: 'call' }).retryable).toBe(true);
    expect(new AthosRoleplayError('INTERNAL_ERROR', 'x', { phase: 'call', retryable: false }).retryable).toBe(false);
  });

  it('has a type guard that works across bundle copies', () => {
    const real = new AthosRoleplayError('NETWORK_LOST', 'x', { phase: 'call' });
    const copy = { name: 'AthosRoleplayError', code: 'NETWORK_LOST', message: 'x' };
    expect(AthosRoleplayError.is(real)).toBe(true);
    expect(AthosRoleplayError.is(copy)).toBe(true);
    expect(AthosRoleplayError.is({ name: 'AthosRoleplayError', code: 'NOPE' })).toBe(false);
    expect(AthosRoleplayError.is(new Error('x'))).toBe(false);
    expect(AthosRoleplayError.is(null)).toBe(false);
  });
});
