import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { useGatewayAndS3 } from '../support/gatewayFixture.js';
import { runApp } from '../support/runApp.js';

const servers = useGatewayAndS3({
  'metric-json': JSON.stringify(SIMPLEPIPE_EXAMPLE),
  'runs/2026/11/21/train-7f3a/metrics.json': JSON.stringify({ labels: { model: 'churn' }, metrics: [{ name: 'model_accuracy_ratio', description: 'd', value: 0.913, metric_type: 'gauge' }] }),
});

/** Every other source of credentials the SDK's chain would look at (IMDS is off in servers.s3.env). */
const NO_AWS_CREDENTIALS = Object.fromEntries(
  ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE',
  ].map((name) => [name, undefined]),
);

/** The app's environment: only the standard AWS variables, as a Kubernetes Job would set them. */
const awsEnv = (overrides: Record<string, string | undefined> = {}) => ({ ...servers.s3.env, PUSHGATEWAY_URL: servers.gateway.url, ...overrides });

describe('s3:// input against a real S3-protocol server', () => {
  it('pushes s3://artifacts/metric-json given only the standard AWS environment variables', async () => {
    const run = await runApp(['s3://artifacts/metric-json', 'my-job'], { env: awsEnv() });
    expect(run.stderr).toMatch(/read s3:\/\/artifacts\/metric-json/);
    // Nothing but simplepipe's own lines: no notice from the AWS SDK (on Node 20 it prints eight lines).
    expect(run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('simplepipe: '))).toEqual([]);
    expect(run.code).toBe(0);
    expect(await servers.gateway.exposition()).toMatch(/^simple\{instance="",job="my-job"\} 6$/m);
  });

  it('reads a nested key, with AWS_ENDPOINT_URL_S3 taking precedence over AWS_ENDPOINT_URL', async () => {
    const deadPort = await freePort();
    const env = awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${deadPort}`, AWS_ENDPOINT_URL_S3: servers.s3.endpoint });
    const run = await runApp(['s3://artifacts/runs/2026/11/21/train-7f3a/metrics.json', 'nested'], { env });
    expect(run.code).toBe(0);
    expect(await servers.gateway.exposition()).toMatch(/^model_accuracy_ratio\{instance="",job="nested",model="churn"\} 0\.913$/m);
  });

  it('takes the endpoint from --s3-endpoint over the environment', async () => {
    const deadPort = await freePort();
    const env = awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${deadPort}` });
    const run = await runApp(['s3://artifacts/metric-json', 'flagged', '--s3-endpoint', servers.s3.endpoint], { env });
    expect(run.code).toBe(0);
    expect(await servers.gateway.group({ job: 'flagged' })).toBeDefined();
  });

  it('66: a missing key, named with its bucket, and nothing pushed', async () => {
    const run = await runApp(['s3://artifacts/no/such/key.json', 'missing-key'], { env: awsEnv() });
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/no object "no\/such\/key\.json" in bucket "artifacts"/);
    expect(await servers.gateway.group({ job: 'missing-key' })).toBeUndefined();
  });

  it('66: a missing bucket, named', async () => {
    const run = await runApp(['s3://no-such-bucket/metric-json', 'missing-bucket'], { env: awsEnv() });
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/the bucket "no-such-bucket" does not exist/);
  });

  it('77: credentials the server does not know, and the secret never printed', async () => {
    const env = awsEnv({ AWS_ACCESS_KEY_ID: 'AKIDUNKNOWN', AWS_SECRET_ACCESS_KEY: 'not-the-secret-3f9c' });
    const run = await runApp(['s3://artifacts/metric-json', 'refused', '-v'], { env });
    expect(run.code).toBe(77);
    expect(run.stderr).toMatch(/S3 refused the credentials for bucket "artifacts", key "metric-json"/);
    expect(run.stderr).not.toMatch(/not-the-secret-3f9c/);
    expect(await servers.gateway.group({ job: 'refused' })).toBeUndefined();
  });

  it('78: no credentials anywhere in the default chain', async () => {
    const home = mkdtempSync(join(tmpdir(), 'simplepipe-no-aws-'));
    const env = { ...awsEnv({ HOME: home }), ...NO_AWS_CREDENTIALS };
    const run = await runApp(['s3://artifacts/metric-json', 'no-credentials'], { env });
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/no AWS credentials found/);
  });

  it('75: an unreachable endpoint, after retries within the deadline', async () => {
    const port = await freePort();
    const env = awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
    const run = await runApp(['s3://artifacts/metric-json', 'unreachable', '--deadline', '2s'], { env });
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/gave up fetching s3:\/\/artifacts\/metric-json after \d+ attempts/);
    expect(run.stderr).toMatch(/attempt 1 fetching s3:\/\/\S+ failed; retrying/);
  });

  it('75: an endpoint that stops sending mid-object, each attempt cut off by --timeout', async () => {
    // No real S3 server stalls on demand: this one sends the headers and 10 of 100 bytes, then nothing.
    const stalled = createServer((_request, response) => {
      response.writeHead(200, { 'content-length': '100', 'content-type': 'application/json' });
      response.write('[{"name": ');
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
    const { port } = stalled.address() as AddressInfo;
    try {
      const env = awsEnv({ AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` });
      const run = await runApp(['s3://artifacts/metric-json', 'stalled', '--timeout', '300ms', '--deadline', '3s'], { env });
      expect(run.code).toBe(75);
      expect(run.stderr).toMatch(/no answer within 300 ms/);
    } finally {
      stalled.closeAllConnections();
      await new Promise((resolve) => stalled.close(resolve));
    }
  });

  it('65: an object larger than --max-input-bytes, refused before parsing', async () => {
    await servers.s3.putObject('artifacts', 'big.json', JSON.stringify(SIMPLEPIPE_EXAMPLE).padEnd(4096, ' '));
    const run = await runApp(['s3://artifacts/big.json', 'big', '--max-input-bytes', '1KiB'], { env: awsEnv() });
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/input s3:\/\/artifacts\/big\.json is larger than --max-input-bytes 1024 \(4096 bytes\)/);
  });

  it('64: an s3:// URL without a key', async () => {
    const run = await runApp(['s3://artifacts', 'no-key'], { env: awsEnv() });
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/expected s3:\/\/bucket\/key/);
  });
});
