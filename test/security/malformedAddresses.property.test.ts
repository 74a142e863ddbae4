import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

let gateway: Pushgateway;
let input: string;
beforeAll(async () => {
  gateway = await startPushgateway();
  input = tempFile(SIMPLEPIPE_EXAMPLE);
});
afterAll(() => gateway?.stop());

/**
 * An address holding a password, typed as a careless user would: with or without a scheme, the password
 * holding characters that end a URL's authority ("/", "?", "#", "@", "\"), a port out of range or with
 * a stray letter, a group path. Every host is the test gateway's loopback address, so an address that
 * parses is pushed to a real server and nothing leaves the machine.
 */
const passwordCharacter = fc.constantFrom(...'abcXYZ0189/?#@:%[] "\'\\=;~'.split(''));
const addressWithPassword = () =>
  fc.record({
    scheme: fc.constantFrom('', 'http://', 'https://', 'http:/', 'htp://'),
    user: fc.constantFrom('user', 'pusher', '127.0.0.1', 'a b'),
    // A fixed lead makes the password distinctive, so finding it in the output is never a coincidence.
    password: fc.array(passwordCharacter, { minLength: 6, maxLength: 14 }).map((chars) => `Zq${chars.join('')}`),
    port: fc.constantFrom('GATEWAY', '99999', 'GATEWAYx', ''),
    path: fc.constantFrom('', '/', '/metrics/job/victim/x', '/prefix', '/api/v1/write'),
    source: fc.constantFrom('--gateway', 'PUSHGATEWAY_URL', 'PUSH_GATEWAY_HOSTNAME', '--remote-write'),
    format: fc.constantFrom('text', 'json'),
  });
type Case = ReturnType<typeof addressWithPassword> extends fc.Arbitrary<infer T> ? T : never;

function commandLine(example: Case): { args: string[]; env: Record<string, string> } {
  const port = example.port.replace('GATEWAY', String(gateway.port));
  const address = `${example.scheme}${example.user}:${example.password}@127.0.0.1${port === '' ? '' : `:${port}`}${example.path}`;
  const args = [input, 'leak_check', '-v', '--log-format', example.format, '--deadline', '1s', '--retries', '0'];
  if (example.source.startsWith('--')) return { args: [...args, example.source, address], env: {} };
  return { args, env: { [example.source]: address } };
}

/** The password as it could appear: typed, percent-decoded (the URL parser's reading), JSON-escaped (a JSON log line). */
function formsOf(password: string): string[] {
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // not valid percent-encoding: only the typed form exists
  }
  return [...new Set([password, decoded, JSON.stringify(password).slice(1, -1), JSON.stringify(decoded).slice(1, -1)])];
}

function expectNoPassword(output: string, example: Case): void {
  for (const form of formsOf(example.password)) expect(output, `password ${JSON.stringify(form)} leaked`).not.toContain(form);
  expect(output).not.toContain(Buffer.from(`${example.user}:${example.password}`).toString('base64'));
}

describe('a password in an address never reaches the output, whatever the address looks like', () => {
  it('in process, over many generated addresses, through both log formats', async () => {
    await fc.assert(
      fc.asyncProperty(addressWithPassword(), async (example) => {
        const { args, env } = commandLine(example);
        let output = '';
        const write = (text: string): void => void (output += text);
        const code = await main(args, { stdout: write, stderr: write, env }, 'test');
        expect([0, 65, 75, 77, 78]).toContain(code);
        expectNoPassword(output, example);
      }),
      { numRuns: 300 },
    );
  });

  it('through the built CLI, text and json', async () => {
    await fc.assert(
      fc.asyncProperty(addressWithPassword(), async (example) => {
        const { args, env } = commandLine(example);
        const run = await runApp(args, { env });
        expect(run.signal).toBeNull();
        expectNoPassword(run.stdout + run.stderr, example);
      }),
      { numRuns: 24 },
    );
  });

  it.each([
    ['--gateway', 'user:Secr3tPW@127.0.0.1:99999', /the gateway address "REDACTED@127\.0\.0\.1:99999" is not a valid URL/],
    ['PUSH_GATEWAY_HOSTNAME', 'user:Secr3tPW@pgw:9091x', /the gateway address "REDACTED@pgw:9091x" is not a valid URL/],
    ['--gateway', 'http://user:12/Secr3tPW@127.0.0.1:9091', /the gateway address "http:\/\/REDACTED@127\.0\.0\.1:9091" has an "@" the URL parser does not read/],
  ])('78, one line, the address quoted without its userinfo: %s %s', async (source, address, message) => {
    const args = [input, 'leak_check', '--log-format', 'json'];
    const run = await runApp(source.startsWith('--') ? [...args, source, address] : args, { env: source.startsWith('--') ? {} : { [source]: address } });
    expect(run.code).toBe(78);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toMatch(message);
    expect(run.stderr).not.toMatch(/Secr3tPW|user:12/);
  });

  it('a password in --gateway is pushed, with a warning naming the environment and file alternatives', async () => {
    const run = await runApp([input, 'warned', '--gateway', `http://pusher:Secr3tPW@127.0.0.1:${gateway.port}`]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warn: --gateway carries a password.*process.*PUSHGATEWAY_USERNAME and PUSHGATEWAY_PASSWORD.*--password-file/);
    expect(run.stderr).not.toContain('Secr3tPW');
  });

  it('NODE_DEBUG=http, which makes Node print the Authorization header itself, is warned of', async () => {
    const run = await runApp([input, 'node_debug', '--gateway', gateway.url], {
      env: { NODE_DEBUG: 'http', PUSHGATEWAY_USERNAME: 'pusher', PUSHGATEWAY_PASSWORD: 'Secr3tPW' },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warn: NODE_DEBUG=http makes Node print every request's headers.*Authorization.*unset it/);
  });
});
