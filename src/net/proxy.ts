import { ConfigError } from '../errors.js';
import { redactAddress, redactUrl } from './redact.js';

/** The proxy a request goes through, as the environment names it. */
export interface ProxyRoute {
  /** The proxy's URL (http://), userinfo included: it becomes Proxy-Authorization. */
  url: URL;
  /** The variable it came from, for messages: `HTTPS_PROXY`, `http_proxy`. */
  variable: string;
  /** The URL as it may be shown: credentials redacted. */
  shown: string;
}

/**
 * The proxy for a request to `target`, read as curl, Go's net/http and undici read the environment:
 * `https_proxy`/`HTTPS_PROXY` for an https:// target, `http_proxy`/`HTTP_PROXY` for an http:// one (the
 * lower-case name first), unless `no_proxy`/`NO_PROXY` lists the host. Undefined when none applies.
 */
export function proxyFor(target: URL, env: NodeJS.ProcessEnv): ProxyRoute | undefined {
  const scheme = target.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const [variable, value] = readVariable(env, scheme);
  if (variable === undefined || value === undefined) return undefined;
  if (bypassesProxy(target, readVariable(env, 'no_proxy')[1] ?? '')) return undefined;
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`${variable}="${redactAddress(withScheme)}" is not a valid proxy URL`);
  }
  if (url.protocol !== 'http:') throw new ConfigError(`${variable} must be an http:// proxy (the tunnel to an https:// server is made through it), not ${redactUrl(url)}`);
  return { url, variable, shown: redactUrl(url) };
}

/** The lower-case variable if set and not empty, else the upper-case one. */
function readVariable(env: NodeJS.ProcessEnv, lower: string): [string | undefined, string | undefined] {
  for (const name of [lower, lower.toUpperCase()]) {
    const value = env[name]?.trim();
    if (value) return [name, value];
  }
  return [undefined, undefined];
}

/**
 * Whether NO_PROXY lists `target`'s host: entries separated by commas or blanks; `*` is every host; a
 * name matches itself and its subdomains (`example.com`, `.example.com` and `*.example.com` alike); an
 * entry with a port matches only that port. Addresses match as written (no CIDR ranges), as undici's.
 */
export function bypassesProxy(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.toLowerCase().split(/[\s,]+/)) {
    if (raw === '') continue;
    if (raw === '*') return true;
    // `[::1]:9091`, `host:9091`, or a bare name or address, an IPv6 one (two colons or more) included.
    const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(raw) ?? (raw.split(':').length > 2 ? [raw, raw, undefined, undefined] : null);
    if (!match) continue;
    const entryHost = (match[1] ?? match[2]!).replace(/^\*?\.?/, '');
    if (match[3] !== undefined && match[3] !== port) continue;
    if (host === entryHost || host.endsWith(`.${entryHost}`)) return true;
  }
  return false;
}

/** The secrets in the proxy variables (a password in a proxy URL), for the CLI's redaction set. */
export function proxyPasswords(env: NodeJS.ProcessEnv): { username: string; password: string }[] {
  const found: { username: string; password: string }[] = [];
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']) {
    const value = env[name];
    if (!value) continue;
    try {
      const url = new URL(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(value) ? value : `http://${value}`);
      if (url.password) found.push({ username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
    } catch {
      // A malformed proxy URL fails when used, its message redacted.
    }
  }
  return found;
}
