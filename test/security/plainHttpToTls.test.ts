import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki } from '../support/certificates.js';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';
import { writeWebConfig } from '../support/webConfig.js';

let secured: Pushgateway;
beforeAll(async () => {
  const pki = makeTestPki();
  const dispatcher = new Agent({ connect: { ca: readFileSync(pki.caCert) } });
  secured = await startPushgateway({
    webConfigFile: writeWebConfig(mkdtempSync(join(pki.dir, 'tls-')), { tls: { certFile: pki.serverCert, keyFile: pki.serverKey } }),
    scheme: 'https',
    probeFetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as unknown as typeof fetch,
  });
});
afterAll(() => secured?.stop());

describe('http:// to a gateway that speaks HTTPS', () => {
  it('78 (configuration), not 65 (bad data), saying to use https://', async () => {
    const run = await runApp([tempFile(SIMPLEPIPE_EXAMPLE), 'plain', '--gateway', `http://127.0.0.1:${secured.port}`]);
    expect(run.code).toBe(78);
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/error: the gateway at http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/plain speaks HTTPS, not HTTP: give --gateway as https:\/\/ exit=78$/);
  });
});
