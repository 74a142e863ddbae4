import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { Agent, Dispatcher } from 'undici';
import { ConfigError, describeFileError } from '../errors.js';

/** TLS settings for an https:// server; certificate verification is on unless insecureSkipVerify. */
export interface TlsOptions {
  /** PEM bundle of the CAs to trust instead of Node's built-in list. */
  caFile?: string;
  /** Client certificate and key (PEM), for a server that requires mutual TLS. */
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

/**
 * An undici Agent carrying the TLS settings. The files are read and checked here, once, so a bad one
 * fails as a configuration error naming its flag instead of as a failed connection retried until the deadline.
 */
export async function createAgent(tls: TlsOptions = {}): Promise<Agent> {
  const { Agent, buildConnector } = await import('undici');
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new ConfigError('--cert-file and --key-file must be given together');
  }
  const [ca, cert, key] = await Promise.all([
    readPem(tls.caFile, '--ca-file'),
    readPem(tls.certFile, '--cert-file'),
    readPem(tls.keyFile, '--key-file'),
  ]);
  for (const [flag, path, pem] of [['--ca-file', tls.caFile, ca], ['--cert-file', tls.certFile, cert]] as const) {
    if (pem !== undefined && !holdsCertificate(pem)) throw new ConfigError(`${flag} ${path} holds no PEM certificate`);
  }
  try {
    createSecureContext({ ca, cert, key });
  } catch (error) {
    const given = [['--ca-file', ca], ['--cert-file', cert], ['--key-file', key]].filter(([, value]) => value !== undefined);
    const flags = given.map(([flag]) => flag).join(', ');
    // OpenSSL's reason names the problem (no PEM, key mismatch) and never echoes the file's content.
    throw new ConfigError(`the TLS files (${flags}) are not usable: ${(error as Error).message}`);
  }
  const connector = buildConnector({ ca, cert, key, rejectUnauthorized: tls.insecureSkipVerify !== true });
  const alerts: { last?: Error } = {};
  const agent = new Agent({
    connect: (options, callback) =>
      connector(options, (error, socket) => {
        if (error !== null) return callback(error, null);
        // With TLS 1.3 a server refuses a client certificate only after the handshake; undici then reports
        // just "other side closed", so the alert the socket saw first is kept to say what really happened.
        socket.once('error', (socketError: Error) => {
          if (isTlsAlert(socketError)) alerts.last = socketError;
        });
        callback(null, socket);
      }),
  });
  tlsAlerts.set(agent, alerts);
  return agent;
}

const tlsAlerts = new WeakMap<Dispatcher, { last?: Error }>();

/** The TLS alert a connection of `dispatcher` ended with since the last call, if any. */
export function takeTlsAlert(dispatcher: Dispatcher): Error | undefined {
  const alerts = tlsAlerts.get(dispatcher);
  const last = alerts?.last;
  if (alerts) alerts.last = undefined;
  return last;
}

/** Node ignores a CA bundle that holds no certificate, which would only show later as an untrusted server. */
function holdsCertificate(pem: Buffer): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

function isTlsAlert(error: Error): boolean {
  return /^ERR_SSL_.*ALERT/.test(String((error as NodeJS.ErrnoException).code));
}

async function readPem(path: string | undefined, flag: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(`${flag} ${path} cannot be read: ${describeFileError(error)}`);
  }
}
