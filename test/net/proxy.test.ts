import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as forward } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
/** A gateway that wants its own credentials (basic auth), reached through the open proxy: its 401 is the server's, not the proxy's. */
let guardedGateway: Pushgateway;
const GATEWAY_USER = 'pusher';

beforeAll(async () => {
  pki = makeTestPki();
  const webConfigFile = writeWebConfig(pki.dir, { tls: { certFile: pki.serverCert, keyFile: pki.serverKey } });
  const usersConfigFile = writeWebConfig(mkdtempSync(join(tmpdir(), 'simplepipe-proxy-gw-')), { users: { [GATEWAY_USER]: 'gw-Secret-3' } });
  [proxy, guarded, gateway, tlsGateway, victoria, s3, guardedGateway] = await Promise.all([
    startTinyproxy(),
    startTinyproxy({ basicAuth: { user: PROXY_USER, password: PROXY_PASSWORD } }),
    startPushgateway(),
    startPushgateway({ webConfigFile, scheme: 'https', probeFetch: trustingFetch() }),
    startVictoriaMetrics(),
    startS3(),
    startPushgateway({ webConfigFile: usersConfigFile, probeHeaders: { authorization: `Basic ${Buffer.from(`${GATEWAY_USER}:gw-Secret-3`).toString('base64')}` } }),
  ]);
  await s3.createBucket('artifacts');
  await s3.putObject('artifacts', 'metric.json', JSON.stringify([{ name: 'from_s3', description: 'd', value: 3, metric_type: 'gauge' }]));
}, 60_000);
afterAll(async () => {
  await Promise.all([proxy, guarded, gateway, tlsGateway, victoria, s3, guardedGateway].map((server) => server?.stop()));
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

/**
 * The whole class of a forwarded (http://) request the proxy refuses: every command that goes through it,
 * with and without a body, a body larger than the sockets' buffers included. tinyproxy answers after the
 * headers and closes with the body unread, which resets the connection: depending on the Node and the body's
 * size the answer arrives before the reset, or the reset fails the body's write first. Either way the run
 * ends in 77 with the proxy's answer, on the first attempt, and nothing reaches the server.
 */
describe('a forwarded request the proxy refuses ends in 77 with its answer, whatever the command and the body', () => {
  /** 40,000 gauges with random labels: an 8.7 MB push, a remote write of about 4 MB in one request. */
  let largeFile: string;
  beforeAll(() => {
    largeFile = tempFile(
      Array.from({ length: 40_000 }, (_, i) => ({
        name: `large_push_${i}`,
        description: 'one of the many gauges of a push larger than the sockets can buffer',
        value: i,
        metric_type: 'gauge',
        labels: { digest: randomBytes(32).toString('hex') },
      })),
    );
  });
  const smallFile = (): string => tempFile(SIMPLEPIPE_EXAMPLE);

  const withPassword = (password: string): string => {
    const url = new URL(guarded.url);
    url.username = PROXY_USER;
    url.password = password;
    return url.href;
  };
  const refusals = [
    ['407 (no credentials)', () => guarded.url, () => /the proxy \(HTTPS_PROXY or HTTP_PROXY\) wants credentials it was not given, or refused those given: put them in its URL, http:\/\/user:password@host:port \(HTTP 407\)/],
    // tinyproxy answers a wrong password with 401 and its own page: it reads as the server's refusal.
    ['401 (a wrong password)', () => withPassword('wrong-Password-9'), (server: string) => new RegExp(`the ${server} refused the credentials \\(HTTP 401\\): <\\?xml.*\\n[^]*401 Unauthorized`)],
  ] as const;
  const commands = [
    ['push (PUT, chunked body)', () => [smallFile(), 'refused_small', '--gateway', gateway.url], 'gateway'],
    ['push of 8.7 MB (PUT, chunked body)', () => [largeFile, 'refused_large', '--gateway', gateway.url], 'gateway'],
    ['remote write (POST, Content-Length)', () => [smallFile(), 'refused_small', '--remote-write', victoria.writeUrl], 'remote-write receiver'],
    ['remote write of ~4 MB in one request', () => [largeFile, 'refused_large', '--remote-write', victoria.writeUrl, '--max-samples-per-request', '100000'], 'remote-write receiver'],
    ['delete (DELETE, no body)', () => ['delete', 'kept', '--gateway', gateway.url], 'gateway'],
    ['prune (GET, no body)', () => ['prune', '--gateway', gateway.url, '--older-than', '1s'], 'gateway'],
  ] as const;
  const cases = refusals.flatMap(([refusal, proxyUrl, message]) => commands.map(([command, args, server]) => [`${command}, ${refusal}`, args, proxyUrl, message(server)] as const));

  beforeAll(async () => {
    // A group for delete and prune to find, were the proxy to let them through.
    const seeded = await runApp([smallFile(), 'kept', '--gateway', gateway.url], { env: noProxyEnv });
    expect(seeded.code, seeded.stderr).toBe(0);
  });

  it.for(cases)('%s: 77 at the first attempt, the answer named, nothing sent on', async ([, args, proxyUrl, message]) => {
    const run = await runApp([...args(), '-v'], { env: { ...noProxyEnv, HTTP_PROXY: proxyUrl() } });
    expect(run.code, run.stderr).toBe(77);
    expect(run.stderr).toMatch(message);
    expect(run.stderr, run.stderr).not.toMatch(/retrying/);
    expect(run.stderr).not.toContain('wrong-Password-9');
  });

  it('nothing the proxy refused reached the servers: no group pushed, none deleted, no series written', async () => {
    expect(await gateway.group({ job: 'refused_small' })).toBeUndefined();
    expect(await gateway.group({ job: 'refused_large' })).toBeUndefined();
    expect(await gateway.group({ job: 'kept' })).toBeDefined();
    expect(await victoria.query('{job=~"refused_small|refused_large"}')).toEqual([]);
  });

  it('a proxy that resets a push in the middle of its body, then forwards: asked again with Expect, the whole push arrives once', async () => {
    const resetting = await startResettingProxy();
    try {
      const run = await runApp([largeFile, 'reset_then_forwarded', '--gateway', gateway.url, '-v'], { env: { ...noProxyEnv, HTTP_PROXY: resetting.url } });
      expect(run.code, run.stderr).toBe(0);
      // One attempt as the retry loop counts them: the second request is the same attempt asked again.
      expect(run.stderr).toMatch(/pushed 40000 series .* attempts=1/);
      expect(resetting.seen).toEqual([
        { request: `PUT ${gateway.url}/metrics/job/reset_then_forwarded`, expect: undefined },
        { request: `PUT ${gateway.url}/metrics/job/reset_then_forwarded`, expect: '100-continue' },
      ]);
      const group = await gateway.group({ job: 'reset_then_forwarded' });
      expect(Object.keys(group ?? {}).filter((key) => key.startsWith('large_push_'))).toHaveLength(40_000);
    } finally {
      await resetting.close();
    }
  });

  it.for([
    ['push', () => [smallFile(), 'refused_upstream', '--gateway', guardedGateway.url]],
    ['delete', () => ['delete', 'refused_upstream', '--gateway', guardedGateway.url]],
  ] as const)('the server’s own 401 behind the proxy (%s): 77 with its answer, not retried', async ([, args]) => {
    const run = await runApp([...args(), '-v'], { env: { ...noProxyEnv, HTTP_PROXY: proxy.url, PUSHGATEWAY_USERNAME: GATEWAY_USER, PUSHGATEWAY_PASSWORD: 'wrong-gw-Password' } });
    expect(run.code, run.stderr).toBe(77);
    expect(run.stderr).toMatch(/the gateway refused the credentials \(HTTP 401\): Unauthorized/);
    expect(run.stderr, run.stderr).not.toMatch(/retrying/);
    // It passed through the proxy: the 401 is the gateway's.
    expect(proxy.requests()).toContainEqual(expect.stringMatching(new RegExp(`^(PUT|DELETE) http://${hostOf(guardedGateway.url)}/metrics/job/refused_upstream$`)));
  });
});

/**
 * A forward proxy that resets the first request it gets as soon as its headers have arrived (the body
 * unread, as a proxy that goes away mid-request), and forwards every later one to the server its absolute
 * URL names, answering `Expect: 100-continue` with 100 as Node's server does.
 */
async function startResettingProxy(): Promise<{ url: string; seen: { request: string; expect?: string }[]; close: () => Promise<void> }> {
  const seen: { request: string; expect?: string }[] = [];
  const server = createServer((req, res) => {
    seen.push({ request: `${req.method} ${req.url}`, expect: req.headers.expect });
    if (seen.length === 1) {
      req.socket.resetAndDestroy();
      return;
    }
    const target = new URL(req.url ?? '');
    // The 100 is this proxy's to give: the request goes on without the expectation.
    const headers = { ...req.headers };
    delete headers.expect;
    const forwarded = forward({ host: target.hostname, port: target.port, method: req.method, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
