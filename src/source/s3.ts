import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, NoInputError, OptionError, PermissionError, SimplepipeError } from '../errors.js';
import { noopLogger, type Logger } from '../log.js';
import type { Agent } from 'node:http';
import { proxyFor } from '../net/proxy.js';
import { redactAddress } from '../net/redact.js';
import { DEFAULT_RETRY_POLICY, withRetries, type Attempt, type RetryPolicy } from '../net/retry.js';
import { readLimited, tooLarge } from './readLimited.js';

export interface S3SourceOptions {
  /** S3-protocol endpoint (MinIO, Ceph…); else AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL, else AWS itself. */
  endpoint?: string;
  /** Where the endpoint variables are read; credentials and region come from the SDK's own default chain. */
  env?: NodeJS.ProcessEnv;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  logger?: Logger;
}

/** The region used when neither the environment nor a profile names one: MinIO and most emulators accept it. */
export const DEFAULT_S3_REGION = 'us-east-1';

const NOT_FOUND = new Set(['NoSuchKey', 'NoSuchBucket', 'NotFound']);
const REFUSED = new Set(['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'Forbidden', 'ExpiredToken', 'InvalidToken']);

/** Splits `s3://bucket/key`; the key is taken literally (no percent-decoding), as `aws s3 cp` does. */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new OptionError(['input'], `${url} is not an S3 object URL: expected s3://bucket/key`);
  return { bucket: match[1]!, key: match[2]! };
}

export function resolveS3Endpoint(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

/**
 * Fetches one S3 object, refusing one larger than `maxBytes` by its Content-Length and again while
 * streaming. A missing bucket or key is NoInputError, refused credentials PermissionError; an endpoint
 * that cannot be reached is retried with backoff within the retry policy, then TemporaryError.
 */
export async function readS3Object(url: string, maxBytes: number, options: S3SourceOptions = {}): Promise<Buffer> {
  const { bucket, key } = parseS3Url(url);
  const logger = options.logger ?? noopLogger;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const endpoint = resolveS3Endpoint(options.endpoint, options.env ?? process.env);
  // Loaded here, not at the top, so that runs without S3 never evaluate the SDK.
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const client = await createClient(endpoint, options.env ?? process.env, logger);
  logger.debug(`fetching ${url}`, { endpoint: endpoint === undefined ? 'AWS' : redactAddress(endpoint) });

  const fetchOnce = async (signal: AbortSignal): Promise<Buffer> => {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
      body?.destroy?.();
      throw tooLarge(`input ${url}`, maxBytes, response.ContentLength);
    }
    // The SDK ends the body too when `signal` aborts, so the attempt's timeout covers a stalled download.
    return body === undefined ? Buffer.alloc(0) : readLimited(body, maxBytes, `input ${url}`);
  };

  try {
    const context = { policy, logger, signal: options.signal };
    const fetched = await withRetries(`fetching ${url}`, context, async (signal): Promise<Attempt<Buffer>> => {
      try {
        return { kind: 'success', value: await fetchOnce(signal) };
      } catch (error) {
        return classifyS3Error(error, url, bucket, key);
      }
    });
    return fetched.value;
  } finally {
    client.destroy();
  }
}

async function createClient(endpoint: string | undefined, env: NodeJS.ProcessEnv, logger: Logger): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  // The SDK's own region chain (AWS_REGION, profile…) throws when nothing is set; fall back rather than fail.
  const probe = new S3Client({});
  const region = await probe.config.region().catch(() => DEFAULT_S3_REGION);
  probe.destroy();
  return new S3Client({
    region,
    ...(await proxiedHandler(endpoint ?? `https://s3.${region}.amazonaws.com`, env, logger)),
    ...(endpoint === undefined ? {} : { endpoint, forcePathStyle: true }),
    // Retries are ours (one policy, one deadline, aborted by SIGTERM).
    maxAttempts: 1,
    // Recent SDKs add CRC checksums that MinIO releases and emulators before 2025 reject or omit.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * The SDK reads no proxy variable itself: when HTTPS_PROXY/HTTP_PROXY apply to the endpoint (NO_PROXY
 * not listing it), its requests go through the same proxy agents as the sinks'. Nothing is loaded otherwise.
 */
async function proxiedHandler(endpoint: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<{ requestHandler?: { httpAgent?: Agent; httpsAgent?: Agent } }> {
  let target: URL;
  try {
    target = new URL(endpoint);
  } catch {
    return {};
  }
  const proxy = proxyFor(target, env);
  if (proxy === undefined) return {};
  logger.debug(`fetching through the proxy ${proxy.shown}`, { from: proxy.variable });
  const { proxyAgent } = await import('../net/transport/proxyAgent.js');
  const agent = await proxyAgent(proxy, target.protocol, { rejectUnauthorized: true });
  return { requestHandler: target.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent } };
}

/** Maps an SDK error to an outcome: retried when the endpoint is unreachable or overloaded, else final. */
function classifyS3Error(error: unknown, url: string, bucket: string, key: string): Attempt<never> {
  const final = (fatal: SimplepipeError): Attempt<never> => ({ kind: 'fatal', error: fatal });
  if (error instanceof SimplepipeError) return final(error);
  const e = error as { name?: string; Code?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.Code ?? e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const detail = `${name}${e.message && e.message !== name ? `: ${e.message}` : ''}`;
  if (name === 'NoSuchBucket') return final(new NoInputError(`input ${url}: the bucket "${bucket}" does not exist (${detail})`, { cause: error, status }));
  if (NOT_FOUND.has(name) || status === 404) {
    return final(new NoInputError(`input ${url}: no object "${key}" in bucket "${bucket}" (${detail})`, { cause: error, status }));
  }
  if (REFUSED.has(name) || status === 401 || status === 403) {
    return final(new PermissionError(`input ${url}: S3 refused the credentials for bucket "${bucket}", key "${key}" (${detail})`, { cause: error, status }));
  }
  if (name === 'CredentialsProviderError') return final(new ConfigError(`input ${url}: no AWS credentials found (${detail})`, { cause: error }));
  if (status === undefined || status >= 500 || status === 429 || name === 'SlowDown' || name === 'TimeoutError') {
    return { kind: 'retry', reason: e.code ?? detail, cause: error, status };
  }
  return final(new ConfigError(`input ${url}: S3 answered HTTP ${status} (${detail})`, { cause: error, status }));
}
