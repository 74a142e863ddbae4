/** Structured fields attached to a log line. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** What the library logs through; the CLI supplies one that writes to stderr, the library's default is silent. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => {};
export const noopLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger writing one line per event: `simplepipe: message key=value` or one JSON object. */
export function createStreamLogger(
  write: (line: string) => void,
  options: { level: LogLevel; format: LogFormat },
): Logger {
  const emit = (level: LogLevel) => (message: string, fields: LogFields = {}): void => {
    if (rank[level] < rank[options.level]) return;
    const defined = Object.entries(fields).filter(([, value]) => value !== undefined);
    if (options.format === 'json') {
      write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...Object.fromEntries(defined) })}\n`);
      return;
    }
    const suffix = defined.map(([key, value]) => ` ${key}=${formatValue(value)}`).join('');
    const prefix = level === 'info' ? '' : `${level}: `;
    // Fields go on the first line, so a multi-line message (a list of issues) still ends in its own text.
    const [first, ...rest] = message.split('\n');
    write(`simplepipe: ${prefix}${[first + suffix, ...rest].join('\n')}\n`);
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

function formatValue(value: string | number | boolean | undefined): string {
  const text = String(value);
  return /^[^\s"=]*$/.test(text) && text !== '' ? text : JSON.stringify(text);
}

/**
 * Wraps a line writer so that no known secret reaches it: a safety net behind never logging them, for
 * text that carries one unexpectedly (an error from undici or the AWS SDK, an echoed URL). Each secret
 * is also matched as it appears percent-encoded in a URL and escaped inside a JSON string.
 */
export function redactingWriter(write: (line: string) => void, secrets: ReadonlySet<string>): (line: string) => void {
  return (line) => {
    const forms = [...secrets]
      .filter((secret) => secret !== '')
      .flatMap((secret) => [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
      .sort((a, b) => b.length - a.length);
    write(forms.reduce((text, form) => text.split(form).join('REDACTED'), line));
  };
}
