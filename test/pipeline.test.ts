import { afterEach, describe, expect, it } from 'vitest';
import { noopLogger } from '../src/log.js';
import { validateInput } from '../src/check.js';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './support/faultProxy.js';
import { SIMPLEPIPE_EXAMPLE } from './support/files.js';
import { useGatewayAndS3 } from './support/gatewayFixture.js';
import { runApp } from './support/runApp.js';

const servers = useGatewayAndS3({
  'metric-json': JSON.stringify(SIMPLEPIPE_EXAMPLE),
});

const proxies: FaultProxy[] = [];
const proxy = async (target: string, plan: FaultPlan): Promise<FaultProxy> => {
  const started = await startFaultProxy(target, plan);
  proxies.push(started);
  return started;
};
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

const DEADLINE_MS = 6000;
/**
 * The run's clock starts before its first S3 request, so the run must end within the deadline of that
 * request, plus the time to exit. Counted from there, not from the spawn: process start-up is outside
 * the deadline and, on a loaded machine, long. Each phase on its own clock would overrun by seconds.
 */
const EXIT_MS = 2500;
const sinceFirstRequest = (proxy: FaultProxy): number => performance.now() - proxy.requests[0]!.at;

/** Runs a push of s3://artifacts/metric-json through the given S3 endpoint and gateway, under one --deadline. */
const run = (s3Endpoint: string, gatewayUrl: string, ...extra: string[]) =>
  runApp(['s3://artifacts/metric-json', 'deadline', '--s3-endpoint', s3Endpoint, '--gateway', gatewayUrl, '--deadline', `${DEADLINE_MS}ms`, '--timeout', '20s', ...extra], {
    env: servers.s3.env,
  });

describe('validateInput', () => {
  it('logs the first 100 naming problems and says how many more there are', () => {
    const lines: string[] = [];
    const logger = { ...noopLogger, warn: (message: string) => lines.push(message) };
    const document = Array.from({ length: 150 }, (_, i) => ({ name: `rows_${i}`, description: 'd', value: 1, metric_type: 'counter' }));
    validateInput({ document, origin: 'test', bytes: 0, issues: [] }, {}, logger);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^150 naming problems/);
    expect(lines[0]!.split('\n').filter((line) => line.includes('"_total" suffix'))).toHaveLength(100);
    expect(lines[0]).toMatch(/… and 50 more$/);
  });
});

describe('one --deadline for the whole run', () => {
  it('75: a slow S3 endpoint leaves the push only what remains, and the run ends within the deadline', async () => {
    const slowS3 = await proxy(servers.s3.endpoint, { fault: { kind: 'delay', ms: 4000 } });
    const deadGateway = await proxy(servers.gateway.url, { fault: { kind: 'hang' } });
    const result = await run(slowS3.url, deadGateway.url);
    const elapsed = sinceFirstRequest(slowS3);
    expect(result.stderr).toMatch(/read s3:\/\/artifacts\/metric-json/);
    expect(result.stderr).toMatch(/gave up on PUT/);
    expect(result.code).toBe(75);
    // Each phase on its own clock: 4 s for S3, then 6 s more for the push.
    expect(elapsed).toBeLessThan(DEADLINE_MS + EXIT_MS);
  });

  it('75: a slow S3 endpoint and a slow push leave --verify only what remains, and the run ends within the deadline', async () => {
    const slowS3 = await proxy(servers.s3.endpoint, { fault: { kind: 'delay', ms: 2500 } });
    const readBackHangs = await proxy(servers.gateway.url, { fault: { kind: 'hang' }, methods: ['GET'] });
    const slowGateway = await proxy(readBackHangs.url, { fault: { kind: 'delay', ms: 2500 }, methods: ['PUT'] });
    const result = await run(slowS3.url, slowGateway.url, '--verify');
    const elapsed = sinceFirstRequest(slowS3);
    expect(result.stderr).toMatch(/gave up on GET .*\/api\/v1\/metrics/);
    expect(readBackHangs.requests.map((r) => r.method)).toEqual(expect.arrayContaining(['PUT', 'GET']));
    expect(await servers.gateway.group({ job: 'deadline' })).toBeDefined();
    expect(result.code).toBe(75);
    // Each phase on its own clock: 2.5 s for S3, 2.5 s for the PUT, then 6 s more for the read-back.
    expect(elapsed).toBeLessThan(DEADLINE_MS + EXIT_MS);
  });

  it('0: the same slow S3 endpoint and gateway within a deadline that covers them', async () => {
    const slowS3 = await proxy(servers.s3.endpoint, { fault: { kind: 'delay', ms: 1000 } });
    const slowGateway = await proxy(servers.gateway.url, { fault: { kind: 'delay', ms: 1000 } });
    const result = await run(slowS3.url, slowGateway.url, '--verify');
    expect(result.code).toBe(0);
    expect(await servers.gateway.group({ job: 'deadline' })).toBeDefined();
  });
});
