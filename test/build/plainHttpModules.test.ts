import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { loadedModulesProbe, unneededModules } from '../support/loadedModules.js';
import { freePort } from '../support/ports.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runApp } from '../support/runApp.js';

async function unneededModulesLoaded(args: string[]): Promise<{ code: number | null; unneeded: string[] }> {
  const run = await runApp(args, { env: { NODE_OPTIONS: `--require ${loadedModulesProbe()}` } });
  return { code: run.code, unneeded: unneededModules(run.stderr) };
}

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

describe('the modules a push to a plain http:// gateway loads', () => {
  it('are none of tls, crypto, zlib or http2 (on Node 22.5+ importing node:http as a module would load them all)', async () => {
    expect(await unneededModulesLoaded([tempFile(SIMPLEPIPE_EXAMPLE), 'plain_http', '--gateway', gateway.url])).toEqual({ code: 0, unneeded: [] });
    expect(await gateway.group({ job: 'plain_http' })).toBeDefined();
  });

  it('are seen by the probe: an https:// push does load tls', async () => {
    const run = await unneededModulesLoaded([tempFile(SIMPLEPIPE_EXAMPLE), 'tls', '--gateway', `https://127.0.0.1:${await freePort()}`, '--retries', '0']);
    expect(run.code).toBe(75);
    expect(run.unneeded).toContain('NativeModule tls');
  });
});
