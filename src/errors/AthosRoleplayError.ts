import { type AthosErrorCode, isAthosErrorCode, isRetryableCode } from './codes.ts';

/**
 * Where in a session's life an error happened.
 *
 * - `create`: `create()` itself (an unsupported browser).
 * - `media`: acquiring or using the microphone or the speaker.
 * - `redeem`: redeeming the session token over HTTP.
 * - `connect`: opening and authenticating the voice connection.
 * - `call`: after the call went live.
 */
export type AthosErrorPhase = 'create' | 'media' | 'redeem' | 'connect' | 'call';

/** The structured fields of an {@link AthosRoleplayError}, besides `code` and `message`. */
export interface AthosErrorDetails {
  /** Where the error happened. */
  phase: AthosErrorPhase;
  /** HTTP status of the response that failed, for redemption errors. */
  httpStatus?: number;
  /** The server's request id (`X-Athos-Request-Id`), to quote to Athos support. */
  requestId?: string;
  /** A server error code the SDK does not know; `code` is then `INTERNAL_ERROR`. */
  serverCode?: string;
  /** WebSocket close code, for errors of the voice connection. */
  closeCode?: number;
  /** WebSocket close reason, for errors of the voice connection. */
  closeReason?: string;
  /** Whether trying again can help. Defaults from the code. */
  retryable?: boolean;
  /** How long the server asked to wait before trying again (`Retry-After`), in ms. */
  retryAfterMs?: number;
  /** The underlying error (a DOMException, a TypeError from `fetch`, …). */
  cause?: unknown;
}

/** The JSON form of an {@link AthosRoleplayError}, safe to log. */
export interface AthosRoleplayErrorJSON extends Omit<AthosErrorDetails, 'cause'> {
  name: 'AthosRoleplayError';
  code: AthosErrorCode;
  message: string;
  retryable: boolean;
  cause?: string;
}

/**
 * The one error type of the SDK. It is thrown by `create()`, rejects `connect()` and is the
 * payload of the `error` event.
 *
 * Branch on {@link AthosRoleplayError.code}; `message` is for people and may change. The other
 * fields help with logging, support requests and retry decisions. `message` never contains the
 * session token.
 *
 * @example
 * ```ts
 * try {
 *   await session.connect();
 * } catch (error) {
 *   if (AthosRoleplayError.is(error) && error.code === 'MIC_PERMISSION_DENIED') showMicHelp();
 * }
 * ```
 */
export class AthosRoleplayError extends Error {
  override readonly name = 'AthosRoleplayError' as const;
  /** The stable error code. Always one of `ATHOS_ERROR_CODES`. */
  readonly code: AthosErrorCode;
  /** Where the error happened. */
  readonly phase: AthosErrorPhase;
  /** HTTP status, for redemption errors. */
  readonly httpStatus: number | undefined;
  /** The server's request id (`req_…`), when the server sent one. */
  readonly requestId: string | undefined;
  /** A server code the SDK does not know (then `code` is `INTERNAL_ERROR`). */
  readonly serverCode: string | undefined;
  /** WebSocket close code, for voice-connection errors. */
  readonly closeCode: number | undefined;
  /** WebSocket close reason, for voice-connection errors. */
  readonly closeReason: string | undefined;
  /** Whether trying again (with a new session and a fresh token) can help. */
  readonly retryable: boolean;
  /** How long to wait before trying again, in ms, when the server said so. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param code - one of `ATHOS_ERROR_CODES`; anything else becomes `INTERNAL_ERROR`.
   * @param message - a human-readable explanation; must not contain secrets.
   * @param details - the structured fields.
   */
  constructor(code: AthosErrorCode, message: string, details: AthosErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    const known = isAthosErrorCode(code);
    this.code = known ? code : 'INTERNAL_ERROR';
    this.phase = details.phase;
    this.httpStatus = details.httpStatus;
    this.requestId = details.requestId;
    this.serverCode = known ? details.serverCode : (details.serverCode ?? String(code));
    this.closeCode = details.closeCode;
    this.closeReason = details.closeReason;
    this.retryable = details.retryable ?? isRetryableCode(this.code);
    this.retryAfterMs = details.retryAfterMs;
  }

  /**
   * Type guard that also works across bundle copies (for example the script-tag build next to
   * an npm copy), where `instanceof` would fail.
   */
  static is(value: unknown): value is AthosRoleplayError {
    return (
      value instanceof AthosRoleplayError ||
      (typeof value === 'object' &&
        value !== null &&
        (value as { name?: unknown }).name === 'AthosRoleplayError' &&
        isAthosErrorCode((value as { code?: unknown }).code))
    );
  }

  /** A plain object for structured logs. `cause` is reduced to its message. */
  toJSON(): AthosRoleplayErrorJSON {
    const json: AthosRoleplayErrorJSON = {
      name: this.name,
      code: this.code,
      message: this.message,
      phase: this.phase,
      retryable: this.retryable,
    };
    const optional = {
      httpStatus: this.httpStatus,
      requestId: this.requestId,
      serverCode: this.serverCode,
      closeCode: this.closeCode,
      closeReason: this.closeReason,
      retryAfterMs: this.retryAfterMs,
    };
    for (const [key, value] of Object.entries(optional)) {
      if (value !== undefined) Object.assign(json, { [key]: value });
    }
    if (this.cause !== undefined) json.cause = describeCause(this.cause);
    return json;
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
