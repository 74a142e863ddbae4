import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki, type TestPki } from '../support/certificates.js';
import { startFaultProxy } from '../support/faultProxy.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';
import { writeWebConfig } from '../support/webConfig.js';

const PASSWORD = 'tls-pass-7Hq2';
let pki: TestPki;
let secured: Pushgateway;
let mutual: Pushgateway;

/** fetch that trusts the test CA (and shows the client certificate), for the harness's probe and read-backs. */
function trustingFetch(withClientCert: boolean): typeof fetch {
  const dispatcher = new Agent({
    connect: {
      ca: readFileSync(pki.caCert),
      ...(withClientCert ? { cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) } : {}),
    },
  });
  return ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch;
}

beforeAll(async () => {
  pki = makeTestPki();
  const tls = { certFile: pki.serverCert, keyFile: pki.serverKey };
  secured = await startPushgateway({
    webConfigFile: writeWebConfig(mkdtempSync(join(pki.dir, 'basic-')), { users: { pusher: PASSWORD }, tls }),
    scheme: 'https',
    probeHeaders: { authorization: `Basic ${Buffer.from(`pusher:${PASSWORD}`).toString('base64')}` },
    probeFetch: trustingFetch(false),
  });
  mutual = await startPushgateway({
    webConfigFile: writeWebConfig(mkdtempSync(join(pki.dir, 'mutual-')), { tls: { ...tls, clientCaFile: pki.caCert } }),
    scheme: 'https',
    probeFetch: trustingFetch(true),
  });
});
afterAll(async () => {
  await secured?.stop();
  await mutual?.stop();
});

const file = () => tempFile(SIMPLEPIPE_EXAMPLE);
const basicEnv = (password = PASSWORD) => ({ env: { PUSHGATEWAY_USERNAME: 'pusher', PUSHGATEWAY_PASSWORD: password } });

describe('a Pushgateway with TLS and basic auth (--web.config.file)', () => {
  it('0: pushes with the right credentials from the environment and --ca-file', async () => {
    const run = await runMain([file(), 'env_creds', '--gateway', secured.url, '--ca-file', pki.caCert, '-v'], basicEnv());
    expect(run.code).toBe(0);
    expect(await secured.group({ job: 'env_creds' })).toBeDefined();
  });

  it('0: delete goes through the same TLS and credentials', async () => {
    expect((await runMain([file(), 'to_delete', '--gateway', secured.url, '--ca-file', pki.caCert], basicEnv())).code).toBe(0);
    expect(await secured.group({ job: 'to_delete' })).toBeDefined();
    const run = await runMain(['delete', 'to_delete', '--gateway', secured.url, '--ca-file', pki.caCert], basicEnv());
    expect(run.code).toBe(0);
    expect(await secured.group({ job: 'to_delete' })).toBeUndefined();
  });

  it('0: pushes with the password from --password-file', async () => {
    const passwordFile = tempFile(`${PASSWORD}\n`, 'password');
    const run = await runMain(
      [file(), 'file_creds', '--gateway', secured.url, '--ca-file', pki.caCert, '--password-file', passwordFile],
      { env: { PUSHGATEWAY_USERNAME: 'pusher' } },
    );
    expect(run.code).toBe(0);
    expect(await secured.group({ job: 'file_creds' })).toBeDefined();
  });

  it('0: pushes with credentials in the URL’s userinfo', async () => {
    const url = new URL(secured.url);
    url.username = 'pusher';
    url.password = PASSWORD;
    const run = await runMain([file(), 'url_creds', '--gateway', url.href, '--ca-file', pki.caCert, '-v']);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain(PASSWORD);
    expect(await secured.group({ job: 'url_creds' })).toBeDefined();
  });

  it('77: wrong credentials are refused, without retrying and without printing them', async () => {
    const run = await runMain([file(), 'wrong_creds', '--gateway', secured.url, '--ca-file', pki.caCert, '-v'], basicEnv('not-the-password'));
    expect(run.code).toBe(77);
    expect(run.stderr).toMatch(/refused the credentials \(HTTP 401\)/);
    expect(run.stderr).not.toMatch(/retrying/);
    expect(run.stderr).not.toContain('not-the-password');
  });

  it('77: no credentials at all are refused', async () => {
    const run = await runMain([file(), 'no_creds', '--gateway', secured.url, '--ca-file', pki.caCert]);
    expect(run.code).toBe(77);
  });

  it('77: a large push is refused too, though the gateway answers before it has read the body', async () => {
    // 50,000 series, several MB rendered while sent (pushFamilies): the 401 comes while pieces are still
    // being written, and the writer must stop at the answer, neither hang nor turn it into a transport error.
    const large = tempFile(
      Array.from({ length: 50_000 }, (_, i) => ({ name: 'rows_total', description: 'rows', value: i, metric_type: 'counter', labels: { shard: String(i) } })),
    );
    const run = await runMain([large, 'large_wrong_creds', '--gateway', secured.url, '--ca-file', pki.caCert, '--deadline', '20s'], basicEnv('not-the-password'));
    expect(run.code, run.stderr).toBe(77);
    expect(run.stderr).toMatch(/refused the credentials \(HTTP 401\)/);
  });

  it('78: a certificate signed by a CA the app does not trust fails at once', async () => {
    const untrusted = await runMain([file(), 'untrusted', '--gateway', secured.url], basicEnv());
    expect(untrusted.code).toBe(78);
    expect(untrusted.stderr).toMatch(/TLS with https:\/\/127\.0\.0\.1:\d+\/metrics\/job\/untrusted failed \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
    const otherCa = await runMain([file(), 'other_ca', '--gateway', secured.url, '--ca-file', pki.otherCaCert], basicEnv());
    expect(otherCa.code).toBe(78);
    expect(otherCa.stderr).not.toMatch(/retrying/);
    expect(await secured.group({ job: 'untrusted' })).toBeUndefined();
  });

  it('0: --insecure-skip-verify gets through to an untrusted certificate', async () => {
    const run = await runMain([file(), 'skip_verify', '--gateway', secured.url, '--insecure-skip-verify'], basicEnv());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warn: TLS certificate verification is off/);
    expect(await secured.group({ job: 'skip_verify' })).toBeDefined();
  });

  it('78: an unreadable or unusable CA, certificate, key or password file names its flag, never its content', async () => {
    const missing = join(pki.dir, 'no-such.pem');
    const garbage = tempFile('SECRET-LOOKING-GARBAGE-9f8e', 'garbage.pem');
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [['--ca-file', missing], /--ca-file .*no-such\.pem cannot be read: no such file \(ENOENT\)/],
      [['--cert-file', missing, '--key-file', pki.clientKey], /--cert-file .*no-such\.pem cannot be read: no such file \(ENOENT\)/],
      [['--cert-file', pki.clientCert, '--key-file', missing], /--key-file .*no-such\.pem cannot be read: no such file \(ENOENT\)/],
      [['--cert-file', pki.clientCert], /--cert-file and --key-file must be given together/],
      [['--ca-file', garbage], /--ca-file .*garbage\.pem holds no PEM certificate/],
      [['--cert-file', garbage, '--key-file', pki.clientKey], /--cert-file .*garbage\.pem holds no PEM certificate/],
      [['--cert-file', pki.clientCert, '--key-file', garbage], /TLS files \(--cert-file, --key-file\) are not usable/],
      [['--cert-file', pki.clientCert, '--key-file', pki.serverKey], /TLS files \(--cert-file, --key-file\) are not usable/],
      [['--password-file', missing], /--password-file .*no-such\.pem cannot be read: no such file \(ENOENT\)/, { PUSHGATEWAY_USERNAME: 'pusher' }],
      [['--bearer-token-file', missing], /--bearer-token-file .*no-such\.pem cannot be read: no such file \(ENOENT\)/],
    ];
    for (const [flags, message, env] of cases) {
      const run = await runMain([file(), 'bad_files', '--gateway', secured.url, ...flags], { env });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain('SECRET-LOOKING-GARBAGE');
      expect(run.code).toBe(78);
    }
    expect(await secured.group({ job: 'bad_files' })).toBeUndefined();
  });

  it('78: half-given or conflicting credentials', async () => {
    const token = tempFile('abc123', 'token');
    const cases: [string[], Record<string, string>, RegExp][] = [
      [[], { PUSHGATEWAY_USERNAME: 'pusher' }, /neither PUSHGATEWAY_PASSWORD nor --password-file/],
      [[], { PUSHGATEWAY_PASSWORD: PASSWORD }, /PUSHGATEWAY_USERNAME is not set/],
      [['--bearer-token-file', token], { PUSHGATEWAY_USERNAME: 'pusher', PUSHGATEWAY_PASSWORD: PASSWORD }, /exclude each other/],
    ];
    for (const [flags, env, message] of cases) {
      const run = await runMain([file(), 'half_creds', '--gateway', secured.url, '--ca-file', pki.caCert, ...flags], { env });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toContain(PASSWORD);
      expect(run.code).toBe(78);
    }
  });
});

describe('a Pushgateway that requires a client certificate (mutual TLS)', () => {
  it('0: pushes with --cert-file and --key-file', async () => {
    const run = await runMain([file(), 'mtls', '--gateway', mutual.url, '--ca-file', pki.caCert, '--cert-file', pki.clientCert, '--key-file', pki.clientKey]);
    expect(run.code).toBe(0);
    expect(await mutual.group({ job: 'mtls' })).toBeDefined();
  });

  it('77: without a client certificate the gateway refuses the connection', async () => {
    const run = await runMain([file(), 'no_client_cert', '--gateway', mutual.url, '--ca-file', pki.caCert]);
    expect(run.stderr).toMatch(/refused the client certificate/);
    expect(run.code).toBe(77);
    expect(await mutual.group({ job: 'no_client_cert' })).toBeUndefined();
  });
});

describe('a bearer token from --bearer-token-file', () => {
  it('is sent as "Authorization: Bearer <token>" and never printed', async () => {
    const plain = await startPushgateway();
    const proxy = await startFaultProxy(plain.url);
    try {
      const token = 'eyJhbGciOi.bearer-token.Zm9v';
      const tokenFile = tempFile(`${token}\n`, 'token');
      const run = await runMain([file(), 'bearer', '--gateway', proxy.url, '--bearer-token-file', tokenFile, '-v']);
      expect(run.code).toBe(0);
      expect(proxy.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
      expect(run.stderr + run.stdout).not.toContain(token);

      writeFileSync(tokenFile, 'two words\n');
      const invalid = await runMain([file(), 'bearer', '--gateway', proxy.url, '--bearer-token-file', tokenFile]);
      expect(invalid.code).toBe(78);
      expect(invalid.stderr).toMatch(/does not hold a valid bearer token/);
      expect(invalid.stderr).not.toContain('two words');
      expect(proxy.requests).toHaveLength(1);
    } finally {
      await proxy.close();
      await plain.stop();
    }
  });
});
