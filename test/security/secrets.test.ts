import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStreamLogger, redactingWriter } from '../../src/log.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp, type AppRun } from '../support/runApp.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const SECRETS = {
  PUSHGATEWAY_PASSWORD: 'env-pass-Zq81',
  AWS_SECRET_ACCESS_KEY: 'aws-secret-Kp02/x+y',
  AWS_SESSION_TOKEN: 'aws-session-Tt55',
};
const everything = (run: AppRun): string => run.stdout + run.stderr;

describe('secrets never reach the output', () => {
  it.each(['text', 'json'])('not from the environment or the URL’s userinfo, with -v and --log-format %s', async (format) => {
    const url = new URL(gateway.url);
    url.username = 'pusher';
    url.password = 'url-pass-"q@/9';
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), `secrets_${format}`, '--gateway', url.href, '-v', '--log-format', format], {
      env: { ...SECRETS, PUSHGATEWAY_USERNAME: 'pusher' },
    });
    expect(run.code).toBe(0);
    for (const secret of [...Object.values(SECRETS), 'url-pass-"q@/9', encodeURIComponent('url-pass-"q@/9')]) {
      expect(everything(run)).not.toContain(secret);
    }
  });

  it.each(['text', 'json'])('not even inside an error thrown by undici (--log-format %s)', async (format) => {
    // A contrived secret that undici's own connection error spells out: only the logger's net catches it.
    const port = await freePort();
    const secret = `127.0.0.1:${port}`;
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'undici_error', '--gateway', `http://${secret}`, '-v', '--deadline', '2s', '--log-format', format], {
      env: { PUSHGATEWAY_USERNAME: 'pusher', PUSHGATEWAY_PASSWORD: secret, AWS_SECRET_ACCESS_KEY: 'ECONNREFUSED' },
    });
    expect(run.code).toBe(75);
    expect(everything(run)).toMatch(/connect REDACTED REDACTED/);
    expect(everything(run)).not.toContain(secret);
    expect(everything(run)).not.toContain('ECONNREFUSED');
  });

  it('not even inside an error from the AWS SDK fetching s3:// input', async () => {
    // As above, a contrived secret the SDK's connection error spells out.
    const port = await freePort();
    const env = {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'ECONNREFUSED',
      AWS_SESSION_TOKEN: 'session-token-Qx7',
      AWS_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const run = await runApp(['s3://artifacts/metrics.json', 's3_error', '--gateway', gateway.url, '-v', '--deadline', '2s', '--log-format', 'json'], { env });
    expect(run.code).toBe(75);
    expect(everything(run)).toMatch(/gave up fetching s3:\/\/artifacts\/metrics\.json.*REDACTED/);
    expect(everything(run)).not.toMatch(/ECONNREFUSED|session-token-Qx7/);
  });

  it('78: a URL whose userinfo is not valid percent-encoding, without echoing it', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'bad_userinfo', '--gateway', `http://pusher:%zz-hidden@127.0.0.1:${gateway.port}`, '-v']);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/the credentials in the gateway URL http:\/\/REDACTED@127\.0\.0\.1:\d+\/ are not valid percent-encoding/);
    expect(everything(run)).not.toContain('hidden');
  });

  it('78: a gateway address that does not parse is shown without its userinfo, even one holding "@"', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'bad_url', '--gateway', 'http://pusher:pa@ss-w0rd@[not-a-host']);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/the gateway address "http:\/\/REDACTED@\[not-a-host" is not a valid URL/);
    expect(everything(run)).not.toMatch(/pa@ss|w0rd/);
  });

  it('the logger blanks every known secret from every line, raw, percent-encoded or JSON-escaped', () => {
    const lines: string[] = [];
    const secrets = new Set(['s3cr"et', 'p@ss word']);
    const logger = createStreamLogger(redactingWriter((line) => lines.push(line), secrets), { level: 'debug', format: 'json' });
    logger.error('failed: s3cr"et', { url: 'http://u:p%40ss%20word@h', raw: 'p@ss word' });
    createStreamLogger(redactingWriter((line) => lines.push(line), secrets), { level: 'debug', format: 'text' }).warn('x s3cr"et');
    expect(lines.join('')).not.toMatch(/s3cr|p@ss|p%40ss/);
    expect(lines.join('')).toMatch(/REDACTED.*REDACTED.*REDACTED/s);
  });
});
