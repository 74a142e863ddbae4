import { describe, expectTypeOf, it } from 'vitest';
import { runPipeline, watchFile, type PipelineOptions, type WatchOptions } from '../../src/index.js';
import { sinks, type Sink, type SinkName } from '../../src/sink/index.js';

/**
 * The options of a run are a union on its sink: each sink's options are its own. These are checked by the
 * type checker (npm run typecheck): an `@ts-expect-error` that no longer meets an error fails it, so a
 * Pushgateway option accepted beside `remoteWrite` again breaks the build, not only this file's run.
 */
const receiver = { url: 'http://127.0.0.1:9090/api/v1/write' };
const stop = new AbortController().signal;

describe('PipelineOptions, a union on the sink', () => {
  it('takes a remote-write run without a gateway', () => {
    expectTypeOf({ input: 'metrics.json', job: 'train', remoteWrite: receiver } as const).toExtend<PipelineOptions>();
    expectTypeOf(runPipeline).toBeCallableWith({ input: 'metrics.json', job: 'train', remoteWrite: receiver });
    expectTypeOf(watchFile).toBeCallableWith({ path: 'metrics.json', job: 'train', remoteWrite: receiver, stop });
  });

  it('takes a Pushgateway run with its own options', () => {
    expectTypeOf(runPipeline).toBeCallableWith({
      input: 'metrics.json',
      job: 'train',
      gateway: 'http://127.0.0.1:9091',
      method: 'POST',
      verify: true,
      ttl: '7d',
      tenantLabel: 'namespace',
      limits: { series: 10 },
    });
    expectTypeOf(watchFile).toBeCallableWith({ path: 'metrics.json', job: 'train', gateway: 'http://127.0.0.1:9091', deleteOnExit: true, stop });
  });

  it('refuses each Pushgateway option beside remoteWrite, and a run naming no sink', () => {
    const refused: PipelineOptions[] = [
      // @ts-expect-error no Pushgateway is contacted by a remote write
      { input: 'm.json', job: 'j', remoteWrite: receiver, gateway: 'http://127.0.0.1:9091' },
      // @ts-expect-error --method is the Pushgateway's
      { input: 'm.json', job: 'j', remoteWrite: receiver, method: 'POST' },
      // @ts-expect-error --verify reads a Pushgateway group back
      { input: 'm.json', job: 'j', remoteWrite: receiver, verify: true },
      // @ts-expect-error a remote write has no group to give a ttl
      { input: 'm.json', job: 'j', remoteWrite: receiver, ttl: '7d' },
      // @ts-expect-error the tenancy stamp is a Pushgateway's
      { input: 'm.json', job: 'j', remoteWrite: receiver, tenantLabel: 'namespace' },
      // @ts-expect-error the push limits are a Pushgateway's
      { input: 'm.json', job: 'j', remoteWrite: receiver, limits: { series: 10 } },
      // @ts-expect-error neither a gateway nor a receiver: no sink
      { input: 'm.json', job: 'j' },
    ];
    // Not even from an object built elsewhere, which an excess-property check would not look at.
    const built = { input: 'm.json', job: 'j', remoteWrite: receiver, verify: true };
    // @ts-expect-error verify beside remoteWrite, in a variable
    const fromVariable: PipelineOptions = built;
    // @ts-expect-error the watch of a remote write has no gateway either
    const watched: WatchOptions = { path: 'm.json', job: 'j', remoteWrite: receiver, gateway: 'http://127.0.0.1:9091', stop };
    expectTypeOf(refused).toBeArray();
    expectTypeOf(fromVariable).toBeObject();
    expectTypeOf(watched).toBeObject();
  });
});

describe('sinks', () => {
  it('holds one sink of each name, under its name', () => {
    expectTypeOf(sinks).toHaveProperty('pushgateway');
    expectTypeOf(sinks.pushgateway.name).toEqualTypeOf<'pushgateway'>();
    expectTypeOf(sinks.remoteWrite.name).toEqualTypeOf<'remoteWrite'>();
    expectTypeOf<keyof typeof sinks>().toEqualTypeOf<SinkName>();
    expectTypeOf(sinks.remoteWrite).toExtend<Sink<{ url: string }>>();
  });
});
