import { createServer, request as forward, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** What the proxy does to a request it does not pass on. */
export type Fault =
  /** Answers `status`; with `echoHeaders` the body repeats the request's headers, as some servers' error pages do. */
  | { kind: 'status'; status: number; retryAfter?: string; location?: string; echoHeaders?: boolean }
  | { kind: 'reset' }
  | { kind: 'hang' }
  /** Answers 202 as the gateway would, but drops the push: a gateway that loses what it accepted. */
  | { kind: 'swallow' }
  /** Passes the request on after `ms`: a slow server that answers in the end. */
  | { kind: 'delay'; ms: number };

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** When it arrived, on the test process's performance.now() clock. */
  at: number;
}

export interface FaultProxy {
  /** Base URL to give the app as --gateway. */
  url: string;
  /** Every request that reached the proxy, in order. */
  requests: SeenRequest[];
  /** Resolves once `count` requests have arrived. */
  waitForRequests: (count: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

export interface FaultPlan {
  /** The fault, for the requests `times` and `after` select (none: pass requests on). */
  fault?: Fault;
  /** One entry per matching request, in order, before `fault` applies: a fault, or null to pass it on. */
  sequence?: (Fault | null)[];
  /** Apply the fault to the first `times` requests (matching `methods`), then pass requests on. */
  times?: number;
  /** Pass this many matching requests on before the fault starts (default 0): a fault in the middle of a run. */
  after?: number;
  /** Only requests with these methods meet the fault (default: all). */
  methods?: string[];
}

/**
 * A loopback HTTP proxy in front of a real Pushgateway that injects faults a real gateway will not produce
 * on demand, and counts what reaches it. Requests it passes on are forwarded unchanged.
 */
export async function startFaultProxy(target: string, plan?: FaultPlan): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: { count: number; resolve: () => void }[] = [];
  let faulted = 0;
  let matching = 0;

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, at: performance.now() });
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) waiter.resolve();
    const matches = plan !== undefined && (plan.methods ?? [req.method]).includes(req.method ?? '');
    if (matches) matching++;
    const scripted = matches ? plan.sequence?.[matching - 1] : undefined;
    const fromSequence = matches && plan.sequence !== undefined && matching <= plan.sequence.length;
    const applies = matches && !fromSequence && plan.fault !== undefined && matching - (plan.sequence?.length ?? 0) > (plan.after ?? 0) && faulted < (plan.times ?? Infinity);
    const apply = (fault: Fault): void => {
      if (fault.kind === 'delay') {
        // The request body waits, paused, until it is passed on.
        const timer = setTimeout(() => passOn(req, res), fault.ms);
        req.socket.once('close', () => clearTimeout(timer));
      } else injectFault(fault, req, res);
    };
    if (scripted) {
      apply(scripted);
      return;
    }
    if (applies) {
      faulted++;
      apply(plan.fault!);
      return;
    }
    passOn(req, res);
  });
  const passOn = (req: IncomingMessage, res: ServerResponse): void => {
    const proxied = forward(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: `${upstream.pathname.replace(/\/$/, '')}${req.url}`, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    proxied.on('error', () => res.destroy());
    req.pipe(proxied);
  };
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('fault proxy has no address');

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    waitForRequests: (count, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (requests.length >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${requests.length} of ${count} requests arrived`)), timeoutMs);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function injectFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  // Read the body first, so the client has sent its request whole before the fault hits it.
  req.resume();
  req.on('end', () => {
    switch (fault.kind) {
      case 'status':
        res.writeHead(fault.status, {
          ...(fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter }),
          ...(fault.location === undefined ? {} : { location: fault.location }),
        });
        res.end(`injected ${fault.status}\n${fault.echoHeaders ? JSON.stringify(req.headers) : ''}`);
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        return;
      case 'swallow':
        res.writeHead(202).end();
        return;
      case 'delay':
        throw new Error('a delay passes the request on; it is not injected');
    }
  });
}
