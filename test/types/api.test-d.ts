// Type tests against the built declarations, as a consumer sees them. Checked by
// `tsc -p test/types` from test/package/packaging.test.ts: a misuse that compiles makes the
// `@ts-expect-error` above it unused, which fails the check.
import {
  type ATHOS_ERROR_CODES,
  type AthosDrillKey,
  type AthosErrorCode,
  type AthosEventMap,
  type AthosEventName,
  AthosRoleplay,
  type AthosRoleplayCreateOptions,
  AthosRoleplayError,
  type BrowserSupport,
  create,
  detectBrowserSupport,
  type MicrophoneInfo,
  type RoleplaySession,
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
// @ts-expect-error the payload of 'ended' has no 'reason'
session.on('ended', ({ reason }) => reason);

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
