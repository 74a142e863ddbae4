import { userinfoOf } from '../../net/address.js';
import { credentialSecrets } from '../../net/auth.js';
import { proxyPasswords } from '../../net/proxy.js';
import { rawUserinfo } from '../../net/redact.js';
import type { CliIo, RunContext } from '../context.js';

/** Where each sink's basic-auth user and password come from in the environment. */
export const CREDENTIAL_VARIABLES = {
  pushgateway: { username: 'PUSHGATEWAY_USERNAME', password: 'PUSHGATEWAY_PASSWORD' },
  remoteWrite: { username: 'REMOTE_WRITE_USERNAME', password: 'REMOTE_WRITE_PASSWORD' },
} as const;

/** The secrets a run knows before any command runs: those in the environment. */
export function environmentSecrets(env: CliIo['env']): Set<string> {
  const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';
  const secrets = new Set([env.AWS_SECRET_ACCESS_KEY, env.AWS_SESSION_TOKEN, env.PUSHGATEWAY_PASSWORD, env.REMOTE_WRITE_PASSWORD].filter(isSet));
  // A password in HTTPS_PROXY or HTTP_PROXY, and the Proxy-Authorization value made of it.
  for (const userinfo of proxyPasswords(env)) for (const secret of credentialSecrets({ kind: 'basic', ...userinfo })) secrets.add(secret);
  return secrets;
}

/**
 * --header values may be secrets (an API key): the logger blanks them. Very short ones are left alone:
 * blanking "1" or "prod" from every line would garble the log and protect nothing a guess would not find.
 */
export function headerSecrets(headers: Record<string, string> | undefined, context: RunContext): void {
  for (const value of Object.values(headers ?? {})) if (value.length >= 6) context.secrets.add(value);
}

/**
 * A password in a URL's userinfo, and the Authorization header made of it, are blanked from the log; so is
 * the userinfo of an address no parser accepts (`user:pw@host:99999`), as typed, before any message quotes it.
 */
export function addUserinfoSecrets(address: string, what: string, context: RunContext): void {
  const userinfo = userinfoOf(address, what);
  if (userinfo?.password) for (const secret of credentialSecrets({ kind: 'basic', ...userinfo })) context.secrets.add(secret);
  const typed = rawUserinfo(address);
  if (userinfo === undefined && typed?.password) for (const secret of [typed.userinfo, typed.password]) context.secrets.add(secret);
}

/** A flag's value is in every process listing and in the workflow spec: a password there is told where it belongs. */
export function warnOfPasswordInFlag(address: string, flag: string, variables: { username: string; password: string }, context: RunContext): void {
  if (!rawUserinfo(address)?.password) return;
  context.logger.warn(
    `${flag} carries a password, which anyone who can list this machine's processes or read the workflow spec can see: ` +
      `set ${variables.username} and ${variables.password} (from a Secret) or --password-file instead`,
  );
}

/** Node's own debug output (not simplepipe's logger) prints each request's headers, Authorization among them. */
export function warnOfNodeDebug(env: CliIo['env'], context: RunContext): void {
  const modules = (env.NODE_DEBUG ?? '').split(/[\s,]+/).filter((name) => /^(http|http2|https|net|tls|undici|fetch|\*)$/i.test(name));
  if (modules.length === 0) return;
  context.logger.warn(`NODE_DEBUG=${env.NODE_DEBUG} makes Node print every request's headers on stderr, the Authorization header and its credentials among them: unset it`);
}
