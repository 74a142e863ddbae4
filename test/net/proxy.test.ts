import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../support/certificates.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { startS3, type S3Server } from '../support/s3.js';
import { startTinyproxy, type Tinyproxy } from '../support/tinyproxy.js';
import { startVictoriaMetrics, type VictoriaMetrics } from '../support/victoriaMetrics.js';
import { writeWebConfig } from '../support/webConfig.js';

/**
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as every HTTP client of the ecosystem reads them, through a real
 * tinyproxy: its own log shows each request it passed on. Both sinks and the S3 reader honour them.
 */
const PROXY_USER = 'egress';
const PROXY_PASSWORD = 'px-Secret-7fQ2';
let proxy: Tinyproxy;
let guarded: Tinyproxy;
let gateway: Pushgateway;
let tlsGateway: Pushgateway;
let victoria: VictoriaMetrics;
let s3: S3Server;
let pki: TestPki;

beforeAll(async () => {
  pki = makeTestPki();
  const webConfigFile = writeWebConfig(pki.dir, { tls: { certFile: pki.serverCert, keyFile: pki.serverKey } });
  [proxy, guarded, gateway, tlsGateway, victoria, s3] = await Promise.all([
    startTinyproxy(),
    startTinyproxy({ basicAuth: { user: PROXY_USER, password: PROXY_PASSWORD } }),
    startPushgateway(),
    startPushgateway({ webConfigFile, scheme: 'https', probeFetch: trustingFetch() }),
    startVictoriaMetrics(),
    startS3(),
  ]);
  await s3.createBucket('artifacts');
  await s3.putObject('artifacts', 'metric.json', JSON.stringify([{ name: 'from_s3', description: 'd', value: 3, metric_type: 'gauge' }]));
}, 60_000);
afterAll(async () => {
  await Promise.all([proxy, guarded, gateway, tlsGateway, victoria, s3].map((server) => server?.stop()));
});

/** fetch trusting the test CA, for the TLS gateway's readiness probe and read-backs. */
function trustingFetch(): typeof fetch {
  const dispatcher = new Agent({ connect: { ca: readFileSync(pki.caCert) } });
  return ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch;
}

const hostOf = (url: string): string => new URL(url).host;
const noProxyEnv = { HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };

describe('requests pass through the proxy the environment names', () => {
  it('a Pushgateway push through HTTP_PROXY: forwarded with its absolute URL, the group arrives', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'via_proxy', '--gateway', gateway.url, '-v'], { env: { ...noProxyEnv, HTTP_PROXY: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/sending through the proxy http:\/\/127\.0\.0\.1:\d+\/ from=HTTP_PROXY/);
    expect(proxy.requests()).toContain(`PUT http://${hostOf(gateway.url)}/metrics/job/via_proxy`);
    expect(await gateway.group({ job: 'via_proxy' })).toBeDefined();
  });

  it('a remote write through http_proxy (lower case): every request passes through it, the store has the samples', async () => {
    const at = Math.floor(Date.now() / 1000) - 1;
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'via_proxy', '--remote-write', victoria.writeUrl, '--timestamp', String(at)], { env: { ...noProxyEnv, http_proxy: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(proxy.requests()).toContain(`POST http://${hostOf(victoria.writeUrl)}/api/v1/write`);
    expect((await victoria.query('simple{job="via_proxy"}', { time: at })).map((s) => s.value[1])).toEqual(['6']);
  });

  it('an s3:// input fetched through HTTP_PROXY', async () => {
    const run = await runApp(['s3://artifacts/metric.json', '--dry-run'], { env: { ...noProxyEnv, ...s3.env, HTTP_PROXY: proxy.url } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('from_s3 3');
    expect(proxy.requests().some((line) => line.startsWith(`GET http://${hostOf(s3.endpoint)}/artifacts/metric.json`))).toBe(true);
  });

  it('an https:// gateway through HTTPS_PROXY: a CONNECT tunnel, the certificate verified end to end (--ca-file)', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'tunnelled', '--gateway', tlsGateway.url, '--ca-file', pki.caCert], {
      env: { ...noProxyEnv, HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:9' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(proxy.requests()).toContain(`CONNECT ${hostOf(tlsGateway.url)}`);
    // Through the tunnel, an untrusted certificate is still refused (78), never retried.
    const untrusted = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'tunnelled', '--gateway', tlsGateway.url], { env: { ...noProxyEnv, HTTPS_PROXY: proxy.url } });
    expect(untrusted.code).toBe(78);
    expect(untrusted.stderr).toMatch(/TLS with https:\/\/127\.0\.0\.1:\d+\/metrics\/job\/tunnelled failed/);
  });

  it('NO_PROXY (or no_proxy) bypasses it: push, remote write and S3 go straight to the server, the proxy sees nothing', async () => {
    const before = proxy.requests().length;
    const env = { ...noProxyEnv, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url };
    const push = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'direct', '--gateway', gateway.url, '-v'], { env: { ...env, NO_PROXY: 'localhost,127.0.0.1' } });
    expect(push.code, push.stderr).toBe(0);
    expect(push.stderr).not.toMatch(/through the proxy/);
    const write = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'direct', '--remote-write', victoria.writeUrl], { env: { ...env, no_proxy: `example.com, ${hostOf(victoria.writeUrl)}` } });
    expect(write.code, write.stderr).toBe(0);
    const fetched = await runApp(['s3://artifacts/metric.json', '--dry-run'], { env: { ...env, ...s3.env, NO_PROXY: '*' } });
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(proxy.requests()).toHaveLength(before);
    expect(await gateway.group({ job: 'direct' })).toBeDefined();
  });
});

describe('credentials in a proxy URL', () => {
  it('are sent to a proxy that asks for them, and never shown, not even with -v', async () => {
    const url = new URL(guarded.url);
    url.username = PROXY_USER;
    url.password = PROXY_PASSWORD;
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'guarded', '--gateway', gateway.url, '-v', '--log-format', 'json'], { env: { ...noProxyEnv, HTTP_PROXY: url.href } });
    expect(run.code, run.stderr).toBe(0);
    expect(guarded.requests()).toContain(`PUT http://${hostOf(gateway.url)}/metrics/job/guarded`);
    expect(run.stderr).toContain('REDACTED');
    for (const secret of [PROXY_PASSWORD, Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')]) expect(run.stderr).not.toContain(secret);
  });

  it('77 when the proxy wants credentials and none are given (407), not retried', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'refused', '--gateway', gateway.url], { env: { ...noProxyEnv, HTTP_PROXY: guarded.url } });
    expect(run.code, run.stderr).toBe(77);
    expect(run.stderr).toMatch(/the proxy \(HTTPS_PROXY or HTTP_PROXY\) wants credentials it was not given, or refused those given: .* \(HTTP 407\)/);
    // Not retried: the one 407 ends the run (a reset while tinyproxy closes early could cost one more attempt).
    expect(run.stderr, run.stderr).not.toMatch(/retrying.*407/);
  });

  it.for([
    ['forwarded (http://)', () => gateway.url, 'HTTP_PROXY'],
    ['tunnelled (https://)', () => tlsGateway.url, 'HTTPS_PROXY'],
  ] as const)('77 when the proxy refuses a wrong password, %s, not retried, the password redacted', async ([how, target, variable]) => {
    const url = new URL(guarded.url);
    url.username = PROXY_USER;
    url.password = 'wrong-Password-9';
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'refused', '--gateway', target(), '--ca-file', pki.caCert, '-v'], { env: { ...noProxyEnv, [variable]: url.href } });
    expect(run.code, run.stderr).toBe(77);
    // tinyproxy answers a wrong password with 401: forwarded, that reads as any server's 401; a refused tunnel names the proxy.
    if (how.startsWith('tunnelled')) expect(run.stderr).toMatch(/the proxy http:\/\/REDACTED@127\.0\.0\.1:\d+\/ \(HTTPS_PROXY\) refused to open a tunnel .*HTTP 401.*wants credentials it was not given, or refused those given/);
    expect(run.stderr, run.stderr).not.toMatch(/retrying.*(HTTP 401|refused to open a tunnel)/);
    expect(run.stderr).not.toContain('wrong-Password-9');
  });
});
