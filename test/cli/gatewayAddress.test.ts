import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMPLEPIPE_EXAMPLE, tempFile } from '../support/files.js';
import { startPushgateway, type Pushgateway } from '../support/pushgateway.js';
import { runMain } from '../support/runMain.js';

let gateway: Pushgateway;
let prefixed: Pushgateway;
beforeAll(async () => {
  [gateway, prefixed] = await Promise.all([startPushgateway(), startPushgateway({ routePrefix: '/pushgateway' })]);
});
afterAll(() => Promise.all([gateway?.stop(), prefixed?.stop()]));

describe('a gateway address that already names a group', () => {
  it.each([
    ['/metrics/job/victim/x', ''],
    ['/metrics/job/victim', ''],
    ['/metrics/job@base64/dmljdGlt', ''],
    ['/pushgateway/metrics/job/victim/x', '/pushgateway'],
  ])('78 for push and delete, naming the right form, and no group touched: %s', async (path, base) => {
    await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'victim', '--gateway', gateway.url, '--grouping', 'x=metrics']);
    const before = await gateway.groups();
    const address = `${gateway.url}${path}`;
    for (const args of [[tempFile(SIMPLEPIPE_EXAMPLE), 'mine', '--gateway', address], ['delete', 'mine', '--gateway', address]]) {
      const run = await runMain(args);
      expect(run.code).toBe(78);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toContain(`names a group (${path.slice(base.length)}): give the gateway's base URL, ${gateway.url}${base || '/'},`);
    }
    expect(await gateway.groups()).toEqual(before);
  });

  it('a route prefix is a base URL like any other: the push lands under it', async () => {
    const run = await runMain([tempFile(SIMPLEPIPE_EXAMPLE), 'prefixed', '--gateway', prefixed.url]);
    expect(run.code).toBe(0);
    expect(await prefixed.group({ job: 'prefixed' })).toBeDefined();
  });

  it('the address is refused before the input is read: a wrong address is found even beside a missing file', async () => {
    const run = await runMain(['/nonexistent/metrics.json', 'j', '--gateway', `${gateway.url}/metrics/job/victim`]);
    expect(run.code).toBe(78);
  });
});
