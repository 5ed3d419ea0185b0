import { describe, expect, it } from 'vitest';
import { AthosRoleplayError } from '../../../src/errors/AthosRoleplayError.ts';
import { errorForClose, isDropClose } from '../../../src/transport/closeCodes.ts';

describe('errorForClose', () => {
  it.each([
    [1001, 'SERVICE_UNAVAILABLE'],
    [1005, 'SERVICE_UNAVAILABLE'],
    [1006, 'SERVICE_UNAVAILABLE'],
    [1011, 'INTERNAL_ERROR'],
    [4001, 'INVALID_TOKEN'],
    [4002, 'TOKEN_EXPIRED'],
    [4003, 'NETWORK_LOST'],
    [4400, 'INTERNAL_ERROR'],
    [4403, 'TENANT_INACTIVE'],
    [4408, 'INTERNAL_ERROR'],
    [4413, 'INTERNAL_ERROR'],
    [4429, 'TENANT_QUOTA_EXCEEDED'],
    [4503, 'SERVICE_UNAVAILABLE'],
    [1000, 'INTERNAL_ERROR'],
    [4409, 'INTERNAL_ERROR'],
    [4999, 'INTERNAL_ERROR'],
    [3000, 'INTERNAL_ERROR'],
  ])('maps close %i to %s, keeping the code and the reason', (closeCode, code) => {
    const error = errorForClose(closeCode, 'short phrase', 'connect');
    expect(error).toBeInstanceOf(AthosRoleplayError);
    expect(error).toMatchObject({ code, phase: 'connect', closeCode, closeReason: 'short phrase' });
    expect(error.message).toContain(`close ${closeCode}: "short phrase"`);
  });

  it('leaves closeReason out when the gateway gave none', () => {
    expect(errorForClose(4999, '', 'call')).toMatchObject({ closeCode: 4999, closeReason: undefined, phase: 'call' });
  });
});

describe('isDropClose', () => {
  it('is true for going away, no status, abnormal drop and unavailable only', () => {
    const codes = [1000, 1001, 1005, 1006, 1011, 4001, 4002, 4003, 4400, 4403, 4408, 4409, 4429, 4503, 4999];
    expect(codes.filter(isDropClose)).toEqual([1001, 1005, 1006, 4503]);
  });
});

describe('a close reason from a hostile gateway', () => {
  it('is kept as sent on the error, and escaped in its message', () => {
    const reason = 'bye\n[Athos] call recovered\u001b[2K';
    const error = errorForClose(4400, reason, 'call');
    expect(error.closeReason).toBe(reason);
    expect(error.message).toContain('(close 4400: "bye\\n[Athos] call recovered\\u001b[2K")');
    expect(error.message).not.toContain('\n');
  });
});
