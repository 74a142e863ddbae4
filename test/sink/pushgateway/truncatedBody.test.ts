import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushgateway, type GatewayFamily, type GatewayGroup, type Pushgateway } from '../../support/pushgateway.js';

// Why simplepipe validates every record before it sends the first byte of a push, and never streams a
// body it may still find invalid (bench/README.md): the real Pushgateway (Debian's 1.5.1) applies a
// body that is cut off, whether it is framed by Content-Length or chunked and short of its terminating
// chunk, and whether the connection ends with a FIN or a reset. Abandoning a push half-way therefore
// does not leave the group as it was: the lines already sent replace it. The requests are written on a
// raw socket, so what is shown is the gateway's behaviour, whatever an HTTP client does. Should a later
// gateway refuse such bodies, these tests fail, and streaming validation becomes worth reconsidering.

let gateway: Pushgateway;
beforeAll(async () => {
  gateway = await startPushgateway();
});
afterAll(() => gateway?.stop());

const OLD_BODY = '# TYPE kept_seconds gauge\nkept_seconds{step="a"} 1\nkept_seconds{step="b"} 1\n';
/** What is sent before the cut: complete lines, the second series of the old push left out. */
const SENT = '# TYPE kept_seconds gauge\nkept_seconds{step="a"} 2\n';
/** What would have followed. */
const NOT_SENT = 'kept_seconds{step="b"} 2\n# TYPE added_total counter\nadded_total 7\n';

type Framing = 'content-length' | 'chunked';

/** The request's head, and the bytes of SENT as framed; never the rest (nor, chunked, the terminating chunk). */
function cutOffRequest(job: string, framing: Framing): string {
  const whole = Buffer.byteLength(SENT + NOT_SENT);
  const head = [
    `PUT /metrics/job/${job} HTTP/1.1`,
    `Host: 127.0.0.1:${gateway.port}`,
    'Content-Type: text/plain; version=0.0.4; charset=utf-8',
    framing === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${whole}`,
    'Expect: 100-continue',
    '',
    '',
  ].join('\r\n');
  const body = framing === 'chunked' ? `${Buffer.byteLength(SENT).toString(16)}\r\n${SENT}\r\n` : SENT;
  return head + body;
}

/** Sends the head, waits for 100 Continue (the handler is reading the body), sends the rest, then ends the connection. */
async function sendAndCut(request: string, ending: 'close' | 'reset'): Promise<void> {
  const socket = connect(gateway.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const headEnd = request.indexOf('\r\n\r\n') + 4;
  await write(socket, request.slice(0, headEnd));
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  await write(socket, request.slice(headEnd));
  // Time for the gateway to read what was sent: a reset may discard bytes not yet read.
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (ending === 'reset') socket.resetAndDestroy();
  else socket.end();
  await new Promise((resolve) => socket.once('close', resolve));
}

const write = (socket: Socket, text: string): Promise<void> =>
  new Promise((resolve, reject) => socket.write(text, (error) => (error ? reject(error) : resolve())));

const values = (group: GatewayGroup | undefined): Record<string, string[]> =>
  Object.fromEntries(
    Object.entries(group ?? {})
      .filter(([name]) => name !== 'push_time_seconds' && name !== 'push_failure_time_seconds')
      .flatMap(([name, family]) =>
        typeof family === 'object' && 'metrics' in family ? [[name, (family as GatewayFamily).metrics.map((m) => `${JSON.stringify(m.labels)} ${m.value}`)]] : [],
      ),
  );

describe('the Pushgateway and a PUT whose body is cut off', () => {
  let count = 0;
  it.each((['content-length', 'chunked'] as const).flatMap((framing) => (['close', 'reset'] as const).map((ending) => [framing, ending] as const)))(
    'applies what arrived (%s, connection ended by %s): the group is replaced by the partial body',
    async (framing, ending) => {
      const job = `cut_${count++}`;
      const put = await fetch(`${gateway.url}/metrics/job/${job}`, { method: 'PUT', body: OLD_BODY });
      expect(put.status).toBe(200);
      expect(values(await gateway.group({ job })).kept_seconds).toHaveLength(2);

      await sendAndCut(cutOffRequest(job, framing), ending);

      const groups = await gateway.groupsWhen((all) => {
        const kept = values(all.find((g) => g.labels.job === job)).kept_seconds;
        return kept !== undefined && kept.length === 1;
      });
      // The second series of the old push is gone, and the one line sent is stored as if the push were whole.
      expect(values(groups.find((g) => g.labels.job === job))).toEqual({ kept_seconds: [`${JSON.stringify({ instance: '', job, step: 'a' })} 2`] });
    },
  );
});
