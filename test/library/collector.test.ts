import { describe, expect, it } from 'vitest';
import { ConfigError, MetricCollector } from '../../src/index.js';

/** The constructor's refusals; what each accepted shape pushes is tested through the packed library (consumer.test.ts). */
describe('new MetricCollector', () => {
  it('accepts a URL, a URL and options, options alone, or nothing', () => {
    expect(() => new MetricCollector('http://localhost:9091')).not.toThrow();
    expect(() => new MetricCollector('localhost:9091', { labels: { a: 'b' } })).not.toThrow();
    expect(() => new MetricCollector({ gateway: 'http://localhost:9091' })).not.toThrow();
    expect(() => new MetricCollector()).not.toThrow();
  });

  it.each([
    [[9091], /takes a gateway URL .* not number/],
    [[null], /takes a gateway URL .* not null/],
    [[['http://a:9091']], /takes a gateway URL .* not an array/],
    [[''], /must be a URL such as "http:\/\/localhost:9091", not an empty string/],
    [['ftp://gateway:21'], /must be http:\/\/ or https:\/\//],
    [['http://gateway:9091/?x=1'], /must not carry a query/],
    [['http://a:9091', 'labels'], /options must be an object, not string/],
    [['http://a:9091', { gateway: 'http://b:9091' }], /the gateway is given twice, "http:\/\/a:9091" and options.gateway "http:\/\/b:9091"/],
    [[{ gatway: 'http://a:9091' }], /unknown option "gatway"; known: gateway, /],
    [[{ gateway: 9091 }], /the gateway must be a URL .* not number/],
    [[{}, {}], /takes one argument; a gateway URL goes first/],
  ])('refuses %j with a ConfigError that says what is wrong', (args, message) => {
    const construct = () => new MetricCollector(...(args as [string, object]));
    expect(construct).toThrow(ConfigError);
    expect(construct).toThrow(message);
  });
});
