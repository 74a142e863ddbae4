import { readFile } from 'node:fs/promises';
import { ConfigError, describeFileError } from '../errors.js';

/** How simplepipe proves who it is to the server it sends to: HTTP basic auth or a bearer token. */
export type GatewayCredentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'bearer'; token: string };

/** Where credentials may come from, as the CLI finds them; the URL's userinfo is handled with the address. */
export interface CredentialSources {
  username?: string;
  password?: string;
  passwordFile?: string;
  bearerTokenFile?: string;
  /** The environment variables `username` and `password` came from, as messages name them (default PUSHGATEWAY_*). */
  variables?: { username: string; password: string };
}

/** Every form in which credentials travel or could be echoed back: the secret itself and the whole Authorization value. */
export function credentialSecrets(credentials: GatewayCredentials): string[] {
  const secret = credentials.kind === 'basic' ? credentials.password : credentials.token;
  return [secret, authorizationHeader(credentials)].filter((value) => value !== '');
}

export function authorizationHeader(credentials: GatewayCredentials): string {
  if (credentials.kind === 'bearer') return `Bearer ${credentials.token}`;
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/**
 * Turns the configured sources into credentials, or none. Conflicting or half-given sources are a
 * configuration error rather than a guess: a push under the wrong identity fails later and less clearly.
 */
export async function resolveCredentials(sources: CredentialSources): Promise<GatewayCredentials | undefined> {
  const { username, passwordFile, bearerTokenFile } = sources;
  const { username: USER, password: PASSWORD } = sources.variables ?? { username: 'PUSHGATEWAY_USERNAME', password: 'PUSHGATEWAY_PASSWORD' };
  const basicGiven = username !== undefined || sources.password !== undefined || passwordFile !== undefined;
  if (bearerTokenFile !== undefined) {
    if (basicGiven) {
      throw new ConfigError((name) => `${name('bearerTokenFile')} and basic auth (${USER}, ${PASSWORD}, ${name('passwordFile')}) exclude each other`);
    }
    const token = await readSecretFile(bearerTokenFile, 'bearerTokenFile');
    // A bearer token travels verbatim in a header: only token68 characters are safe there.
    if (!/^[A-Za-z0-9\-._~+/]+=*$/.test(token)) throw new ConfigError((name) => `${name('bearerTokenFile')} ${bearerTokenFile} does not hold a valid bearer token`);
    return { kind: 'bearer', token };
  }
  if (!basicGiven) return undefined;
  if (sources.password !== undefined && passwordFile !== undefined) {
    throw new ConfigError((name) => `${PASSWORD} and ${name('passwordFile')} exclude each other`);
  }
  const password = passwordFile !== undefined ? await readSecretFile(passwordFile, 'passwordFile') : sources.password;
  if (username === undefined || username === '') throw new ConfigError(`a password is given but ${USER} is not set`);
  if (password === undefined) throw new ConfigError((name) => `${USER} is set but neither ${PASSWORD} nor ${name('passwordFile')} is`);
  if (username.includes(':')) throw new ConfigError(`${USER} must not contain ":" (basic auth cannot carry it)`);
  return { kind: 'basic', username, password };
}

/**
 * Reads a one-line secret. A final newline is dropped, as `echo` and Kubernetes secrets often add one.
 * Errors name the option that gave the file (`passwordFile`; a command line, its flag) and the path, never the content.
 */
export async function readSecretFile(path: string, option: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError((name) => `${name(option)} ${path} cannot be read: ${describeFileError(error)}`, { cause: error });
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret === '') throw new ConfigError((name) => `${name(option)} ${path} is empty`);
  if (/[\r\n\0]/.test(secret)) throw new ConfigError((name) => `${name(option)} ${path} must hold one line`);
  return secret;
}
