/** The SDK's internal logger. Everything goes to the console only when `debug` is on. */
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
}

/**
 * A logger that prefixes `[Athos]`, prints only when `enabled`, and replaces every secret in
 * string details (the session token, tickets, resume tokens) with `[redacted]`.
 */
export function createLogger(enabled: boolean, secrets: () => readonly string[]): Logger {
  const redact = (value: unknown): unknown => (typeof value === 'string' ? redactSecrets(value, secrets()) : value);
  const write = (method: 'debug' | 'warn', message: string, details: unknown[]) => {
    if (!enabled) return;
    console[method](`[Athos] ${String(redact(message))}`, ...details.map(redact));
  };
  return {
    debug: (message, ...details) => write('debug', message, details),
    warn: (message, ...details) => write('warn', message, details),
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
