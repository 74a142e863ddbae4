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

/** Like redactUrl, for text that may not even parse as a URL. */
export function redactAddress(address: string): string {
  // Up to the last "@" of the authority: a password may itself hold an unescaped "@".
  return address.replace(/\/\/[^/]*@/, '//REDACTED@');
}
