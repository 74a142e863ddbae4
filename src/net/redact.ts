/** Addresses as they may be shown in logs and messages: credentials in a URL never are. */

/** A URL fit for logs and error messages: any userinfo is replaced. */
export function redactUrl(url: URL | string): string {
  const copy = new URL(url.toString());
  if (copy.username || copy.password) {
    copy.username = 'REDACTED';
    copy.password = '';
  }
  return copy.href;
}

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//;

/**
 * Like redactUrl, for text that may not even parse as a URL, or that a URL parser reads differently
 * than its writer meant: everything between the scheme (if any) and the last "@" goes. A password may
 * hold an unescaped "@", "/", "?" or "#", and the address may have no scheme at all (`user:pw@host:99999`),
 * so no part of the text before the last "@" is safe to show.
 */
export function redactAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at === -1) return address;
  return `${SCHEME.exec(address)?.[0] ?? ''}REDACTED${address.slice(at)}`;
}

/**
 * The userinfo of an address as its writer typed it (`user:pw` of `user:pw@host`), whether or not the
 * address parses: for the redaction set, so that a secret in an address no parser accepts is still blanked.
 */
export function rawUserinfo(address: string): { userinfo: string; password: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at === -1) return undefined;
  const userinfo = address.slice(SCHEME.exec(address)?.[0].length ?? 0, at);
  const colon = userinfo.indexOf(':');
  return { userinfo, password: colon === -1 ? '' : userinfo.slice(colon + 1) };
}
