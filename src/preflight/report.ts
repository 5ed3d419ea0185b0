import type { AthosErrorCode } from '../errors/codes.ts';
import type { SpeakerInfo } from '../media/speakers.ts';

/**
 * One check's outcome: `pass`; `warn` (a call may work, but not as it should); `fail` (a call
 * would fail); `skipped` (it could not be checked because an earlier check failed).
 */
export type AthosPreflightVerdict = 'pass' | 'warn' | 'fail' | 'skipped';

/** What every item of an {@link AthosPreflightReport} says. */
export interface AthosPreflightCheck {
  verdict: AthosPreflightVerdict;
  /** What was found, in a sentence for people. */
  message: string;
  /**
   * The error a real call would report for this problem (with `fail`, the one `connect()` would
   * reject with); absent when the problem causes no error.
   */
  errorCode?: AthosErrorCode;
}

/** What `AthosRoleplay.preflight()` found, item by item. */
export interface AthosPreflightReport {
  /** The worst verdict of the checks below (`skipped` does not count). */
  verdict: 'pass' | 'warn' | 'fail';
  /** Whether the SDK supports this browser (`create()` would throw `BROWSER_NOT_SUPPORTED`). */
  browser: AthosPreflightCheck;
  /** Whether the page is a secure context (HTTPS or localhost), without which there is no microphone. */
  secureContext: AthosPreflightCheck;
  /**
   * Whether the microphone can be opened. `permission` is what the browser said before the
   * check asked (`prompt`: the user was asked); `label` names the device that was opened.
   */
  microphone: AthosPreflightCheck & { permission: PermissionState | 'unknown'; label: string | undefined };
  /** Whether the microphone carries sound: the loudest level (0–1) heard while listening. */
  microphoneSignal: AthosPreflightCheck & { peakLevel: number };
  /** The audio outputs, and whether the browser can play on a chosen one (`setSpeaker()`). */
  speakers: AthosPreflightCheck & { devices: SpeakerInfo[]; canChoose: boolean };
  /** Whether audio may start now without a click (with the microphone open, as in a call). */
  autoplay: AthosPreflightCheck;
  /** Whether `apiBase` answers; `rttMs` is one request's round trip on an open connection. */
  api: AthosPreflightCheck & { rttMs: number | undefined };
  /** Whether the voice gateway accepts a connection; `connectMs` is how long opening it took. */
  gateway: AthosPreflightCheck & { connectMs: number | undefined };
}

/** The options of `AthosRoleplay.preflight()`. */
export interface AthosPreflightOptions {
  /** The Athos base URL, as in `create()`. Defaults to `https://app.useathos.ai`. */
  apiBase?: string;
  /** The microphone to check (a `deviceId` from `listMicrophones()`); the default one otherwise. */
  microphoneId?: string;
  /** How long to listen to the microphone, in ms: 500–5000, default 1500. */
  listenMs?: number;
  /** Aborts the check: it then rejects with the signal's reason, having released everything. */
  signal?: AbortSignal;
}
