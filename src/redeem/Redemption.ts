/** The persona the rep talks to. */
export interface AthosPersona {
  /** The persona's name, e.g. `"Dorothy Hale"`. */
  name: string;
  /**
   * Fictitious profile details (gender, date of birth, address, plan category, current plan)
   * for Medicare drills; `null` for the others.
   */
  details: Record<string, unknown> | null;
}

/** What a successful `POST /roleplay/session` returns. */
export interface Redemption {
  /** The voice gateway's WebSocket URL. */
  connectionUrl: string;
  /** Single-use credential for the first message on the voice connection. */
  connectionTicket: string;
  /** `ext_…` */
  sessionId: string;
  /** `athos_call_…` */
  callId: string;
  persona: AthosPersona;
}

/** What the SDK sends to redeem a token. */
export interface RedemptionRequest {
  apiBase: string;
  token: string;
  drillKey: string;
  difficulty: string | undefined;
  filters: { state?: string; category?: string } | undefined;
}

/** Parses a success body, or returns `undefined` when a required field is missing. */
export function parseRedemption(body: unknown): Redemption | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = body as Record<string, unknown>;
  const persona = value.persona as Record<string, unknown> | undefined;
  const strings = [value.connectionUrl, value.connectionTicket, value.sessionId, value.callId];
  if (!strings.every((field) => typeof field === 'string' && field !== '')) return undefined;
  if (typeof persona !== 'object' || persona === null || typeof persona.name !== 'string') return undefined;
  const details = persona.details;
  return {
    connectionUrl: value.connectionUrl as string,
    connectionTicket: value.connectionTicket as string,
    sessionId: value.sessionId as string,
    callId: value.callId as string,
    persona: {
      name: persona.name,
      details: typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : null,
    },
  };
}
