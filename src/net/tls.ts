import { readFile } from 'node:fs/promises';
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

/** What an https agent is given: the PEM files' contents, and whether to verify the server. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/**
 * Reads and checks the TLS files once, so a bad one fails as a configuration error naming its option
 * instead of as a failed connection retried until the deadline. Node's crypto and TLS modules are
 * loaded only when a file is given.
 */
export async function loadTlsMaterial(tls: TlsOptions = {}): Promise<TlsMaterial> {
  const rejectUnauthorized = tls.insecureSkipVerify !== true;
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new ConfigError((name) => `${name('tls.certFile')} and ${name('tls.keyFile')} must be given together`);
  }
  if (tls.caFile === undefined && tls.certFile === undefined) return { rejectUnauthorized };
  const [ca, cert, key] = await Promise.all([
    readPem(tls.caFile, 'tls.caFile'),
    readPem(tls.certFile, 'tls.certFile'),
    readPem(tls.keyFile, 'tls.keyFile'),
  ]);
  const [{ X509Certificate }, { createSecureContext }] = await Promise.all([import('node:crypto'), import('node:tls')]);
  for (const [option, path, pem] of [['tls.caFile', tls.caFile, ca], ['tls.certFile', tls.certFile, cert]] as const) {
    if (pem !== undefined && !holdsCertificate(pem, X509Certificate)) throw new ConfigError((name) => `${name(option)} ${path} holds no PEM certificate`);
  }
  try {
    createSecureContext({ ca, cert, key });
  } catch (error) {
    const given = ([['tls.caFile', ca], ['tls.certFile', cert], ['tls.keyFile', key]] as const).filter(([, value]) => value !== undefined);
    // OpenSSL's reason names the problem (no PEM, key mismatch) and never echoes the file's content.
    const reason = (error as Error).message;
    throw new ConfigError((name) => `the TLS files (${given.map(([option]) => name(option)).join(', ')}) are not usable: ${reason}`, { cause: error });
  }
  return { ca, cert, key, rejectUnauthorized };
}

/** Node ignores a CA bundle that holds no certificate, which would only show later as an untrusted server. */
function holdsCertificate(pem: Buffer, X509Certificate: typeof import('node:crypto').X509Certificate): boolean {
  try {
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

async function readPem(path: string | undefined, option: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError((name) => `${name(option)} ${path} cannot be read: ${describeFileError(error)}`, { cause: error });
  }
}
