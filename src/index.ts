export { AthosRoleplay } from './AthosRoleplay.ts';
export { type BrowserSupport, detectBrowserSupport } from './browser/detectBrowserSupport.ts';
export { create } from './create.ts';
export {
  type AthosErrorDetails,
  type AthosErrorPhase,
  AthosRoleplayError,
  type AthosRoleplayErrorJSON,
} from './errors/AthosRoleplayError.ts';
export { ATHOS_ERROR_CODES, type AthosErrorCode } from './errors/codes.ts';
export type { MicrophoneInfo } from './media/listMicrophones.ts';
export type { SpeakerInfo } from './media/speakers.ts';
export { preflight } from './preflight/preflight.ts';
export type {
  AthosPreflightCheck,
  AthosPreflightOptions,
  AthosPreflightReport,
  AthosPreflightVerdict,
} from './preflight/report.ts';
export type { AthosPersona } from './redeem/Redemption.ts';
export type { AthosCallStats } from './session/callStats.ts';
export { ATHOS_DRILL_KEYS, type AthosDrillKey } from './session/drills.ts';
export type { AthosEndReason } from './session/endReason.ts';
export { ATHOS_EVENT_NAMES, type AthosEventMap, type AthosEventName } from './session/events.ts';
export type { SessionState } from './session/lifecycle.ts';
export type { AthosDifficulty, AthosRoleplayCreateOptions } from './session/options.ts';
export { RoleplaySession } from './session/RoleplaySession.ts';
export { ATHOS_IDLE_SNAPSHOT, type AthosCodec, type AthosTransport, type SessionSnapshot } from './session/SessionSnapshot.ts';
export type { AthosTalkMetrics } from './session/TalkMetrics.ts';
export type { AthosTokenFunction } from './session/token.ts';
