// Type tests against the built declarations, as a consumer sees them. Checked by
// `tsc -p test/types` from test/package/packaging.test.ts: a misuse that compiles makes the
// `@ts-expect-error` above it unused, which fails the check.
import {
  type ATHOS_ERROR_CODES,
  type ATHOS_EVENT_NAMES,
  ATHOS_IDLE_SNAPSHOT,
  type AthosCallStats,
  type AthosCodec,
  type AthosDrillKey,
  type AthosEndReason,
  type AthosErrorCode,
  type AthosEventMap,
  type AthosEventName,
  type AthosPersona,
  type AthosPreflightCheck,
  type AthosPreflightOptions,
  type AthosPreflightReport,
  type AthosPreflightVerdict,
  AthosRoleplay,
  type AthosRoleplayCreateOptions,
  AthosRoleplayError,
  type AthosTalkMetrics,
  type AthosTokenFunction,
  type AthosTransport,
  type BrowserSupport,
  create,
  detectBrowserSupport,
  type MicrophoneInfo,
  preflight,
  type RoleplaySession,
  type SessionSnapshot,
  type SessionState,
  type SpeakerInfo,
} from '@useathos/sdk';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_value?: T): void {}

const session: RoleplaySession = AthosRoleplay.create({ token: 't', drillKey: 'ma-full-sale' });
create({ token: 't', drillKey: 'a-drill-newer-than-this-sdk', difficulty: 'Elite', filters: { state: 'CA' }, debug: true });

// @ts-expect-error token is required
create({ drillKey: 'ma-full-sale' });
// @ts-expect-error difficulty is one of three
create({ token: 't', drillKey: 'ma-full-sale', difficulty: 'Expert' });

session.on('ended', ({ callId, durationSec }) => {
  assertType<Equal<typeof callId, string>>();
  assertType<Equal<typeof durationSec, number>>();
});
session.on('reconnecting', ({ deadline }) => {
  assertType<Equal<typeof deadline, number>>();
});
session.on('error', (error) => {
  assertType<Equal<typeof error.code, AthosErrorCode>>();
});
session.on('ready', ({ persona }) => persona.name.toUpperCase());
session.on('personaSpeaking', ({ speaking }) => assertType<Equal<typeof speaking, boolean>>());
// @ts-expect-error no such event
session.on('transcript', () => undefined);
// @ts-expect-error the payload of 'ended' has no 'transcript'
session.on('ended', ({ transcript }) => transcript);

const unsubscribe: () => void = session.on('connecting', () => undefined);
unsubscribe();
const connected: Promise<void> = session.connect();
void connected;
void session.listMicrophones().then((mics: MicrophoneInfo[]) => mics[0]?.deviceId);

assertType<Equal<AthosEventName, keyof AthosEventMap>>();
assertType<Equal<(typeof ATHOS_ERROR_CODES)[number], AthosErrorCode>>();
const code: AthosErrorCode = 'NETWORK_LOST';
// @ts-expect-error not an error code
const wrongCode: AthosErrorCode = 'NETWORK_DOWN';
const drill: AthosDrillKey = 'ma-t65';
const support: BrowserSupport = detectBrowserSupport('');
const options: AthosRoleplayCreateOptions = { token: 't', drillKey: drill };
const unknown: unknown = new Error('x');
if (AthosRoleplayError.is(unknown)) assertType<Equal<typeof unknown.code, AthosErrorCode>>();
void [code, wrongCode, support, options];

// --- Second version (issue 14) ---

// Token functions: called with a signal, resolving to the token.
const mintToken: AthosTokenFunction = async ({ signal }) => {
  assertType<Equal<typeof signal, AbortSignal>>();
  return 'ast_minted';
};
create({ token: mintToken, drillKey: 'ma-full-sale' });
create({ token: () => Promise.resolve('t'), drillKey: 'ma-full-sale' });
// @ts-expect-error a token function resolves to a string
create({ token: async () => 42, drillKey: 'ma-full-sale' });
// @ts-expect-error a token is a string or a function
create({ token: 42, drillKey: 'ma-full-sale' });

// Events.
session.on('stateChange', ({ state, previous }) => {
  assertType<Equal<typeof state, SessionState>>();
  assertType<Equal<typeof previous, SessionState>>();
});
session.on('ended', ({ reason, metrics }) => {
  assertType<Equal<typeof reason, AthosEndReason>>();
  assertType<Equal<typeof metrics, AthosTalkMetrics>>();
});
session.on('speakerLost', ({ deviceId }) => assertType<Equal<typeof deviceId, string>>());
assertType<Equal<AthosEndReason, 'client' | 'max_duration' | 'ended_by_athos' | 'resume_timeout' | 'network_lost' | 'error'>>();
assertType<Equal<(typeof ATHOS_EVENT_NAMES)[number], AthosEventName>>();
// @ts-expect-error not an end reason
const wrongReason: AthosEndReason = 'timeout';

// Getters and the snapshot.
assertType<Equal<typeof session.muted, boolean>>();
assertType<Equal<typeof session.persona, AthosPersona | undefined>>();
assertType<Equal<typeof session.callId, string | undefined>>();
assertType<Equal<typeof session.transport, AthosTransport | undefined>>();
assertType<Equal<typeof session.codec, AthosCodec | undefined>>();
assertType<Equal<AthosCodec, 'opus' | 'pcm16'>>();
assertType<Equal<AthosTransport, 'websocket'>>();
const snapshot: SessionSnapshot = session.snapshot;
assertType<Equal<typeof snapshot.state, SessionState>>();
assertType<Equal<typeof snapshot.speakerId, string>>();
assertType<Equal<typeof snapshot.volume, number>>();
assertType<Equal<typeof snapshot.userSpeaking, boolean>>();
// @ts-expect-error the snapshot is read-only
snapshot.muted = true;
// Before there is a session, a store starts from the idle snapshot.
assertType<Equal<typeof ATHOS_IDLE_SNAPSHOT, SessionSnapshot>>();
// @ts-expect-error the idle snapshot is read-only
ATHOS_IDLE_SNAPSHOT.state = 'connected';
// @ts-expect-error the getters are read-only
session.callId = 'athos_call_x';
const stopWatching: () => void = session.subscribe(() => undefined);
stopWatching();
// As React's useSyncExternalStore takes them.
declare function useSyncExternalStore<T>(subscribe: (onChange: () => void) => () => void, getSnapshot: () => T): T;
const rendered: SessionSnapshot = useSyncExternalStore(session.subscribe, () => session.snapshot);

// Audio.
const inputLevel: number = session.getInputLevel();
const outputLevel: number = session.getOutputLevel();
void session.listSpeakers().then((speakers: SpeakerInfo[]) => speakers[0]?.label);
const speakerSet: Promise<void> = session.setSpeaker('default');
assertType<Equal<ReturnType<typeof session.setVolume>, void>>();
session.setVolume(0.5);
// @ts-expect-error the volume is a number
session.setVolume('loud');

// Statistics and talk metrics.
const stats: AthosCallStats = session.getStats();
assertType<Equal<typeof stats.rttMs, number | undefined>>();
assertType<
  Equal<
    keyof AthosCallStats,
    | 'rttMs'
    | 'jitterBufferMs'
    | 'lateFrames'
    | 'lostFrames'
    | 'concealedFrames'
    | 'bytesSent'
    | 'bytesReceived'
    | 'reconnects'
    | 'reconnectingMs'
  >
>();
const metrics: AthosTalkMetrics = session.getTalkMetrics();
assertType<
  Equal<
    keyof AthosTalkMetrics,
    'repTalkMs' | 'personaTalkMs' | 'talkRatio' | 'longestRepMonologueMs' | 'interruptions' | 'deadAirCount' | 'deadAirMs'
  >
>();

// The pre-call check.
const preflightOptions: AthosPreflightOptions = { apiBase: 'http://localhost:8787', microphoneId: 'default', listenMs: 1000 };
const checked: Promise<AthosPreflightReport> = AthosRoleplay.preflight(preflightOptions);
void preflight().then((report) => {
  assertType<Equal<typeof report.verdict, 'pass' | 'warn' | 'fail'>>();
  const item: AthosPreflightCheck = report.microphone;
  const verdict: AthosPreflightVerdict = item.verdict;
  assertType<Equal<typeof item.errorCode, AthosErrorCode | undefined>>();
  assertType<Equal<typeof report.microphoneSignal.peakLevel, number>>();
  assertType<Equal<typeof report.speakers.devices, SpeakerInfo[]>>();
  assertType<Equal<typeof report.api.rttMs, number | undefined>>();
  assertType<Equal<typeof report.gateway.connectMs, number | undefined>>();
  void verdict;
});
// @ts-expect-error preflight needs no token
void AthosRoleplay.preflight({ token: 't' });

void [wrongReason, rendered, inputLevel, outputLevel, speakerSet, metrics, checked];
