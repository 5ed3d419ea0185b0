/** The SDK's internal logger. Everything goes to the console only when `debug` is on. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  /** Registers a secret (session token, ticket, resume token): no later line prints it. */
  addSecret(secret: string): void;
}

/**
 * A logger that prefixes `[Athos]`, prints only when `enabled`, and replaces every secret in
 * string details with `[redacted]`.
 *
 * @param secrets - the session's secrets; {@link Logger.addSecret} adds to it.
 */
export function createLogger(enabled: boolean, secrets: string[]): Logger {
  const redact = (value: unknown): unknown => (typeof value === 'string' ? redactSecrets(value, secrets) : value);
  const write = (method: 'debug' | 'warn', message: string, details: unknown[]) => {
    if (!enabled) return;
    console[method](`[Athos] ${String(redact(message))}`, ...details.map(redact));
  };
  return {
    debug: (message, ...details) => write('debug', message, details),
    warn: (message, ...details) => write('warn', message, details),
    addSecret: (secret) => {
      if (secret && !secrets.includes(secret)) secrets.push(secret);
    },
  };
}

/** Replaces every occurrence of every non-empty secret in `text` with `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** Longest string from the network that a line quotes in full. */
const MAX_QUOTED_LENGTH = 80;

/**
 * A string that came over the network (a message type, a warning code, a close reason), made
 * safe to print inside a line: quoted, cut to 80 characters, and everything but printable
 * ASCII escaped, so that it can neither start a new line nor disguise the rest of it (control
 * and text-direction characters).
 */
export function quoted(text: string): string {
  const cut = text.length > MAX_QUOTED_LENGTH ? `${text.slice(0, MAX_QUOTED_LENGTH)}…` : text;
  return JSON.stringify(cut).replace(/[^ -~]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
