import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFaultProxy, type FaultPlan, type FaultProxy } from './faultProxy.js';
import { startPushgateway, type GatewayFamily, type Pushgateway } from './pushgateway.js';
import { runApp, type AppRun } from './runApp.js';
import { startS3, type S3Server } from './s3.js';

export interface GatewayFixture {
  /** The real Pushgateway of this test file. */
  gateway: Pushgateway;
  /** A counting proxy in front of it that injects no fault, for the whole file. */
  sharedProxy: FaultProxy;
  /** A proxy with its own fault plan, closed after the test that made it. */
  proxy: (plan?: FaultPlan) => Promise<FaultProxy>;
}

/** Registers the hooks that give a test file one real gateway behind fault-injecting proxies. */
export function useGatewayBehindProxy(): GatewayFixture {
  const perTest: FaultProxy[] = [];
  const fixture = {
    proxy: async (plan?: FaultPlan) => {
      const proxy = await startFaultProxy(fixture.gateway.url, plan);
      perTest.push(proxy);
      return proxy;
    },
  } as GatewayFixture;
  beforeAll(async () => {
    fixture.gateway = await startPushgateway();
    fixture.sharedProxy = await startFaultProxy(fixture.gateway.url);
  });
  afterEach(async () => {
    await Promise.all(perTest.splice(0).map((proxy) => proxy.close()));
  });
  afterAll(async () => {
    await fixture.sharedProxy?.close();
    await fixture.gateway?.stop();
  });
  return fixture;
}

export interface GatewayAndS3 {
  gateway: Pushgateway;
  s3: S3Server;
}

/** Registers the hooks that give a test file a real Pushgateway and an S3 server holding `objects` (key → body) in bucket "artifacts". */
export function useGatewayAndS3(objects: Record<string, string>): GatewayAndS3 {
  const fixture = {} as GatewayAndS3;
  beforeAll(async () => {
    [fixture.gateway, fixture.s3] = await Promise.all([startPushgateway(), startS3()]);
    await fixture.s3.createBucket('artifacts');
    for (const [key, body] of Object.entries(objects)) await fixture.s3.putObject('artifacts', key, body);
  });
  afterAll(async () => {
    await Promise.all([fixture.gateway?.stop(), fixture.s3?.stop()]);
  });
  return fixture;
}

export interface GatewayForApp {
  /** The real Pushgateway of this test file. */
  gateway: Pushgateway;
  /** Runs the CLI (runApp's dist/app.js, or runMain's in process) with `args`, and `--gateway` set to this gateway. */
  push: (args: string[], stdin?: string) => Promise<AppRun>;
  /** One family of the group of `job` alone, as the gateway holds it. */
  family: (job: string, name: string) => Promise<GatewayFamily | undefined>;
}

/** Registers the hooks that give a test file one real gateway for the app to push to; `run` runs the CLI (runApp by default, or runMain). */
export function useGateway(run: (args: string[], options: { stdin?: string }) => Promise<AppRun> = runApp): GatewayForApp {
  const fixture: GatewayForApp = {
    gateway: undefined as unknown as Pushgateway,
    push: (args, stdin) => run([...args, '--gateway', fixture.gateway.url], { stdin }),
    family: async (job, name) => (await fixture.gateway.group({ job }))?.[name] as GatewayFamily | undefined,
  };
  beforeAll(async () => {
    fixture.gateway = await startPushgateway();
  });
  afterAll(() => fixture.gateway?.stop());
  return fixture;
}
