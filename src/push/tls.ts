import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { Agent } from 'undici';
import { ConfigError } from '../errors.js';

/** TLS settings for an https:// gateway; certificate verification is on unless insecureSkipVerify. */
export interface TlsOptions {
  /** PEM bundle of the CAs to trust instead of Node's built-in list. */
  caFile?: string;
  /** Client certificate and key (PEM), for a gateway that requires mutual TLS. */
  certFile?: string;
  keyFile?: string;
  insecureSkipVerify?: boolean;
}

/**
 * An undici Agent carrying the TLS settings. The files are read and checked here, once, so a bad one
 * fails as a configuration error naming its flag instead of as a failed connection retried until the deadline.
 */
export async function createGatewayAgent(tls: TlsOptions = {}): Promise<Agent> {
  const { Agent } = await import('undici');
  if ((tls.certFile === undefined) !== (tls.keyFile === undefined)) {
    throw new ConfigError('--cert-file and --key-file must be given together');
  }
  const [ca, cert, key] = await Promise.all([
    readPem(tls.caFile, '--ca-file'),
    readPem(tls.certFile, '--cert-file'),
    readPem(tls.keyFile, '--key-file'),
  ]);
  try {
    createSecureContext({ ca, cert, key });
  } catch (error) {
    const given = [['--ca-file', ca], ['--cert-file', cert], ['--key-file', key]].filter(([, value]) => value !== undefined);
    const flags = given.map(([flag]) => flag).join(', ');
    // OpenSSL's reason names the problem (no PEM, key mismatch) and never echoes the file's content.
    throw new ConfigError(`the TLS files (${flags}) are not usable: ${(error as Error).message}`);
  }
  return new Agent({ connect: { ca, cert, key, rejectUnauthorized: tls.insecureSkipVerify !== true } });
}

async function readPem(path: string | undefined, flag: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (error) {
    throw new ConfigError(`${flag} ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}`);
  }
}
