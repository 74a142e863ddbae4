import fc from 'fast-check';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByName } from '../../../src/convert/families.js';
import { DELIMITED_PROTOBUF_CONTENT_TYPE, metricFamilyPieces } from '../../../src/convert/metricFamilies.js';
import { validate } from '../../../src/index.js';
import { anyRecords } from '../../support/recordArbitraries.js';
import { startPushgateway, type Pushgateway } from '../../support/pushgateway.js';

// All or nothing: a push is sent as delimited MetricFamily messages (pushFamilies), and the real
// Pushgateway refuses such a body whole when it ends early: cut after any number of bytes, framed by
// Content-Length or chunked (its terminating chunk never sent), the connection ended by FIN or reset.
// The group keeps the push before it. (A text body cut at a line's end is applied instead:
// truncatedBody.test.ts.) The requests are written on a raw socket: what is shown is the gateway's own
// behaviour for every byte at which a killed process, an OOM kill or a broken network could stop the body.

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const OLD = '# TYPE old_push_marker gauge\nold_push_marker{run="old"} 1\n';

/** The gateway's count of push requests it has answered, from its own metrics. */
async function pushesAnswered(): Promise<number> {
  const text = await gateway.exposition();
  let total = 0;
  for (const match of text.matchAll(/^pushgateway_http_requests_total\{([^}]*)\} (\S+)$/gm)) {
    if (match[1]!.includes('handler="push"')) total += Number(match[2]);
  }
  return total;
}

/** The request's head and the first `cut` bytes of the body, framed; the connection then ended by `ending`. */
async function sendCut(job: string, body: Uint8Array, cut: number, framing: 'content-length' | 'chunked', chunk: number, ending: 'fin' | 'reset'): Promise<void> {
  const head = [
    `PUT /metrics/job/${job} HTTP/1.1`,
    `Host: 127.0.0.1:${gateway.port}`,
    `Content-Type: ${DELIMITED_PROTOBUF_CONTENT_TYPE}`,
    framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  const sent = body.subarray(0, cut);
  const framed: Buffer[] = [Buffer.from(head)];
  if (framing === 'content-length') framed.push(Buffer.from(sent));
  else for (let at = 0; at < sent.length; at += chunk) {
    const part = sent.subarray(at, at + chunk);
    framed.push(Buffer.from(`${part.length.toString(16)}\r\n`), Buffer.from(part), Buffer.from('\r\n'));
  }
  const before = await pushesAnswered();
  const socket = connect(gateway.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  await write(socket, Buffer.concat(framed));
  if (ending === 'reset') {
    // Time for the bytes to arrive before the reset, which would otherwise discard them unread.
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resetAndDestroy();
  } else socket.end();
  socket.on('error', () => {});
  // The gateway has decided once it has answered the request (a reset connection still counts).
  for (let waited = 0; (await pushesAnswered()) === before; waited += 20) {
    if (waited > 10_000) throw new Error('the gateway did not answer the cut-off push');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const write = (socket: Socket, bytes: Buffer): Promise<void> =>
  new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));

describe('the Pushgateway and a delimited protobuf push cut off at any byte', () => {
  it('refuses it whole: the group holds the push before it, nothing of the cut one', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        anyRecords,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.constantFrom('content-length' as const, 'chunked' as const),
        fc.integer({ min: 1, max: 512 }),
        fc.constantFrom('fin' as const, 'reset' as const),
        async (file, at, framing, chunk, ending) => {
          const job = `cut_${run++}`;
          const put = await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'PUT', body: OLD });
          expect(put.status).toBe(200);
          const body = Buffer.concat([...metricFamilyPieces(groupByName(validate(file)))]);
          // Chunked, every byte may be sent and only the terminating chunk missing.
          const cut = Math.floor(at * (framing === 'chunked' ? body.length + 1 : body.length));
          await sendCut(job, body, cut, framing, chunk, ending);
          const group = await gateway.group({ job });
          const families = Object.keys(group ?? {}).filter((key) => !['labels', 'push_time_seconds', 'push_failure_time_seconds', 'last_push_successful'].includes(key));
          expect(families).toEqual(['old_push_marker']);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('applies the same body when it arrives whole', async () => {
    await fc.assert(
      fc.asyncProperty(anyRecords, async (file) => {
        const families = groupByName(validate(file));
        const body = Buffer.concat([...metricFamilyPieces(families)]);
        const put = await fetch(`${gateway.url}/metrics/job/whole`, { method: 'PUT', headers: { 'content-type': DELIMITED_PROTOBUF_CONTENT_TYPE }, body });
        expect(put.status).toBe(200);
        const group = await gateway.group({ job: 'whole' });
        expect(Object.keys(group ?? {}).filter((key) => families.some((family) => family[0]!.name === key))).toHaveLength(families.length);
      }),
      { numRuns: 20 },
    );
  });
});
