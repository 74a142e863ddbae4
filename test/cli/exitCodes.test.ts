import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { runMain } from '../support/runMain.js';
import { writeWebConfig } from '../support/webConfig.js';

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

describe('the CLI’s exit codes', () => {
  it('0: pushes Simplepipe’s own file with Simplepipe’s command shape', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE, 'metric.json'), 'simple'], { env: { PUSH_GATEWAY_HOSTNAME: gateway.url } });
    expect(run.stderr).toMatch(/pushed 1 series to http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/simple/);
    expect(run.code).toBe(0);
    expect(await gateway.exposition()).toMatch(/^simple\{instance="",job="simple"\} 6$/m);
  });

  it('0: --dry-run prints the exposition and pushes nothing', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'dry', '--dry-run', '--gateway', gateway.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('# HELP simple generated random integer\n# TYPE simple gauge\nsimple 6\n');
    expect(await gateway.group({ job: 'dry' })).toBeUndefined();
  });

  it('64: no arguments, an unknown flag, or a malformed duration', async () => {
    expect((await runMain([])).code).toBe(64);
    expect((await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--no-such-flag'])).code).toBe(64);
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--timeout', 'soon']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/expected a duration/);
  });

  it.each<[string, string[], RegExp]>([
    ['--verify beside --remote-write', ['--remote-write', 'http://127.0.0.1:1/api/v1/write', '--verify'], /--verify cannot be combined with --remote-write: no Pushgateway is contacted/],
    ['--method beside --remote-write', ['--remote-write', 'http://127.0.0.1:1/api/v1/write', '--method', 'put'], /--method cannot be combined with --remote-write/],
    ['--gateway beside --remote-write', ['--remote-write', 'http://127.0.0.1:1/api/v1/write', '--gateway', 'http://127.0.0.1:1'], /--gateway cannot be combined/],
    ['--tenant without --remote-write', ['--tenant', 'team-a'], /--tenant needs --remote-write/],
    ['--timestamp and --max-samples-per-request without --remote-write', ['--timestamp', '1795285800', '--max-samples-per-request', '9'], /--timestamp, --max-samples-per-request need --remote-write/],
    ['a --timestamp in no known format', ['--remote-write', 'http://127.0.0.1:1/api/v1/write', '--timestamp', 'yesterday'], /expected RFC 3339 \(2026-11-21T18:30:00Z\) or Unix seconds/],
    ['--max-samples-per-request 0', ['--remote-write', 'http://127.0.0.1:1/api/v1/write', '--max-samples-per-request', '0'], /above zero/],
    ['a --header without a colon', ['--header', 'X-Key'], /expected 'Name: value'/],
    ['a hop-by-hop --header', ['--header', 'Connection: close'], /Connection cannot be set with --header: a hop-by-hop header/],
    ['a --header the protocol sets', ['--header', 'Content-Encoding: gzip'], /Content-Encoding cannot be set with --header/],
    ['an Authorization --header', ['--header', 'Authorization: Bearer x'], /--bearer-token-file or --password-file/],
    ['X-Scope-OrgID as --header', ['--header', 'X-Scope-OrgID: team-a'], /use --tenant/],
    ['the same --header twice', ['--header', 'X-A: 1', '--header', 'x-a: 2'], /given twice/],
  ])('64 before anything is sent: %s', async (_, flags, message) => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'rw_usage', ...flags]);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(message);
  });

  it('0: --dry-run with --remote-write prints the series with the run’s timestamp and sends nothing', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'dry', '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--grouping', 'run=7', '--timestamp', '2026-11-21T18:30:00Z', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('# HELP simple generated random integer\n# TYPE simple gauge\nsimple{job="dry",run="7"} 6 1795285800000\n');
  });

  it('0: --dry-run with --remote-write needs no job either: the series then show none', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), '--remote-write', 'http://127.0.0.1:1/api/v1/write', '--timestamp', '1795285800', '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('# HELP simple generated random integer\n# TYPE simple gauge\nsimple 6 1795285800000\n');
    expect(run.stderr).toMatch(/dry run: the series to write are on stdout, each with its timestamp; nothing was pushed series=1/);
  });

  it('0: --help and --version', async () => {
    const help = await runMain(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 ok, 64 usage/);
    expect((await runMain(['push', '--help'])).stdout).toMatch(/--gateway <url>/);
    // The build stamps the version into the bundle (unbundled, it is "dev"): asked of the bundle itself.
    expect((await runApp(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('65: every problem listed, and not one request sent', async () => {
    const file = tempFile([
      { name: 'ok', description: 'd', value: 1, metric_type: 'gauge' },
      { name: 'bad', description: 'd', value: 'six', metric_type: 'gauge' },
      { name: 'neg', description: 'd', value: -1, metric_type: 'counter' },
    ]);
    const run = await runMain([file, 'invalid', '--gateway', gateway.url]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/2 problems/);
    expect(run.stderr).toMatch(/\/1\/value: must be a number/);
    expect(run.stderr).toMatch(/\/2\/value: a counter value/);
    expect(await gateway.group({ job: 'invalid' })).toBeUndefined();
  });

  it('65: validate lists problems without pushing; 0 when valid', async () => {
    expect((await runMain(['validate', tempFile(SIMPLEPIPE_EXAMPLE)])).code).toBe(0);
    const run = await runMain(['validate', tempFile('[{"name": "x"'), '--job', 'j']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/not valid JSON/);
  });

  it('65: a gateway 400 (type clash with another group) prints the gateway’s reason', async () => {
    const gaugeFile = tempFile([{ name: 'clash_metric', description: 'd', value: 1, metric_type: 'gauge' }]);
    const counterFile = tempFile([{ name: 'clash_metric', description: 'd', value: 1, metric_type: 'counter' }]);
    expect((await runMain([gaugeFile, 'first', '--gateway', gateway.url])).code).toBe(0);
    const run = await runMain([counterFile, 'second', '--gateway', gateway.url]);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/HTTP 400/);
    expect(run.stderr).toMatch(/clash_metric/);
  });

  it('66: the input file does not exist', async () => {
    const run = await runMain(['/nonexistent/metric-in.json', 'j', '--gateway', gateway.url]);
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/^simplepipe: error: cannot read input \/nonexistent\/metric-in\.json: no such file \(ENOENT\) exit=66$/m);
  });

  it('75: an unreachable gateway, after retries within the deadline', async () => {
    const port = await freePort();
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', `http://127.0.0.1:${port}`, '--deadline', '2s']);
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/gave up on PUT .* after \d+ attempts/);
    expect(run.stderr).toMatch(/ECONNREFUSED/);
    expect(run.durationMs).toBeLessThan(10_000);
  });

  it('78: a gateway URL that is not http(s), or a path with no Pushgateway behind it', async () => {
    expect((await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', 'ftp://x'])).code).toBe(78);
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', `${gateway.url}/wrong-prefix`]);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/no Pushgateway API/);
  });
});

describe('exit 77 against a gateway that requires basic auth', () => {
  let secured: Pushgateway;
  beforeAll(async () => {
    const webConfigFile = writeWebConfig(mkdtempSync(join(tmpdir(), 'simplepipe-auth-')), { users: { pusher: 's3cret-pass' } });
    secured = await startPushgateway({
      webConfigFile,
      probeHeaders: { authorization: `Basic ${Buffer.from('pusher:s3cret-pass').toString('base64')}` },
    });
  });
  afterAll(() => secured?.stop());

  it('77: wrong credentials are refused, and the password never appears in the output', async () => {
    const url = new URL(secured.url);
    url.username = 'pusher';
    url.password = 'wrong-pass';
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'j', '--gateway', url.href, '-v']);
    expect(run.code).toBe(77);
    expect(run.stderr).not.toMatch(/wrong-pass/);
  });

  it('0: right credentials in the URL push', async () => {
    const url = new URL(secured.url);
    url.username = 'pusher';
    url.password = 's3cret-pass';
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'authed', '--gateway', url.href]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/s3cret-pass/);
    expect(await secured.group({ job: 'authed' })).toBeDefined();
  });
});
