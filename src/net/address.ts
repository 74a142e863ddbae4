import { ConfigError } from '../errors.js';
import { redactAddress, redactUrl } from './redact.js';

export interface HttpAddress {
  /** The server's URL, credentials removed. */
  url: URL;
  /** Basic-auth credentials found in the URL's userinfo, if any. */
  userinfo?: { username: string; password: string };
}

export interface AddressRules {
  /** What the address names in messages: "gateway", "remote-write". */
  what: string;
  /** Whether the URL may carry a query (a remote-write URL may; a gateway's base URL gets a path appended). */
  allowQuery?: boolean;
}

/**
 * Parses the address of an HTTP server simplepipe sends to. Like the Python client, an address without a
 * scheme gets `http://`. Credentials in the userinfo are taken out of the URL, so it can be shown as is.
 */
export function parseHttpAddress(address: string, rules: AddressRules): HttpAddress {
  const { what } = rules;
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(address) ? address : `http://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`the ${what} address "${redactAddress(address)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`the ${what} URL must be http:// or https://, not ${url.protocol}//`);
  }
  // A password with an unescaped "/", "?" or "#" ends the authority early: the URL parser then reads the
  // user (or the part before another "@") as the host and the rest as a path or query, and the push would
  // go to the wrong server with the password in its URL. (`@base64` is the Pushgateway's own path syntax.)
  if ((url.pathname.replace(/@base64(?=\/|$)/g, '') + url.search + url.hash).includes('@')) {
    throw new ConfigError(
      (name) =>
        `the ${what} address "${redactAddress(address)}" has an "@" the URL parser does not read as the end of user:password: ` +
        `percent-encode "/", "?", "#" and "@" in a password, or better, give it apart from the URL, in ${name('credentials')}`,
    );
  }
  if ((url.search !== '' && rules.allowQuery !== true) || url.hash !== '') {
    throw new ConfigError(`the ${what} URL ${redactUrl(url)} must not carry a ${rules.allowQuery ? 'fragment' : 'query or fragment'}`);
  }
  let userinfo: HttpAddress['userinfo'];
  try {
    if (url.username || url.password) userinfo = { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  } catch {
    throw new ConfigError(`the credentials in the ${what} URL ${redactUrl(url)} are not valid percent-encoding`);
  }
  url.username = '';
  url.password = '';
  return userinfo ? { url, userinfo } : { url };
}

/** The credentials in an address's userinfo, for the redaction set; a malformed address yields none (it fails later, redacted). */
export function userinfoOf(address: string, what: string): HttpAddress['userinfo'] {
  try {
    return parseHttpAddress(address, { what, allowQuery: true }).userinfo;
  } catch {
    return undefined;
  }
}
