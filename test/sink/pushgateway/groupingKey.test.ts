import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/index.js';
import { groupingPath, groupUrl } from '../../../src/sink/pushgateway/groupingKey.js';
import { decodeGroupingPath, groupingLabels, groupingValue, jobName } from '../../support/groupingKeys.js';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('groupingPath', () => {
  it('puts the job first and grouping labels after it, in order', () => {
    expect(groupingPath('simple')).toBe('/metrics/job/simple');
    expect(groupingPath('j', { instance: 'a', zone: 'b' })).toBe('/metrics/job/j/instance/a/zone/b');
  });

  it('sends values of unreserved characters as written', () => {
    expect(groupingPath('train-2.v1', { run: 'A_b~9', file: 'model.pkl', dots: '...x' })).toBe(
      '/metrics/job/train-2.v1/run/A_b~9/file/model.pkl/dots/...x',
    );
  });

  it('sends values holding a slash as URL-safe base64', () => {
    expect(groupingPath('a/b')).toBe('/metrics/job@base64/YS9i');
    expect(groupingPath('j', { path: '/var/tmp?>>' })).toBe(`/metrics/job/j/path@base64/${base64('/var/tmp?>>')}`);
    expect(base64('/var/tmp?>>')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('sends an empty grouping value as @base64/=', () => {
    expect(groupingPath('j', { instance: '' })).toBe('/metrics/job/j/instance@base64/=');
  });

  it('sends dot segments and their percent-encoded spellings as base64, so no URL parser removes them', () => {
    expect(groupingPath('..', { instance: '.', shard: '%2e%2E', all: '....' })).toBe(
      `/metrics/job@base64/${base64('..')}/instance@base64/${base64('.')}/shard@base64/${base64('%2e%2E')}/all@base64/${base64('....')}`,
    );
  });

  it('sends any other character as base64, never a space as + or %20', () => {
    expect(groupingPath('my job', { v: 'ä+%?#\\' })).toBe(`/metrics/job@base64/${base64('my job')}/v@base64/${base64('ä+%?#\\')}`);
  });

  it('rejects an empty job, invalid label names, job as a grouping label and lone surrogates', () => {
    expect(() => groupingPath('')).toThrow(ConfigError);
    expect(() => groupingPath('j', { 'a-b': 'x' })).toThrow(/not a valid label name/);
    expect(() => groupingPath('j', { job: 'x' })).toThrow(ConfigError);
    expect(() => groupingPath('j\uD800')).toThrow(/lone UTF-16 surrogate/);
    expect(() => groupingPath('j', { a: '\uDC00' })).toThrow(/lone UTF-16 surrogate/);
  });

  it('keeps the gateway’s route prefix', () => {
    expect(groupUrl(new URL('http://gw:9091/prefix/'), 'j').href).toBe('http://gw:9091/prefix/metrics/job/j');
  });
});

describe('groupUrl, for any job and grouping key', () => {
  it('keeps every segment through the WHATWG URL parser: the path decodes back to the job and labels given', () => {
    fc.assert(
      fc.property(jobName, groupingLabels, fc.constantFrom('', '/prefix', '/a/b'), (job, grouping, prefix) => {
        const url = groupUrl(new URL(`http://gw:9091${prefix}/`), job, grouping);
        const reparsed = new URL(url.href);
        expect(reparsed.pathname).toBe(url.pathname);
        expect(decodeGroupingPath(reparsed.pathname, prefix)).toEqual({ job, ...grouping });
        // Every segment is plain: nothing a proxy or Go's router would decode or clean.
        for (const segment of reparsed.pathname.split('/').slice(1)) {
          expect(segment).toMatch(/^[A-Za-z0-9_.~@=-]+$/);
          expect(segment).not.toMatch(/^\.+$/);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never sends a value as written unless it is made of unreserved characters and is not all dots', () => {
    fc.assert(
      fc.property(groupingValue, (value) => {
        const path = groupingPath('j', { v: value });
        const plain = /^[A-Za-z0-9_.~-]+$/.test(value) && !/^\.+$/.test(value);
        expect(path).toBe(plain ? `/metrics/job/j/v/${value}` : `/metrics/job/j/v@base64/${value === '' ? '=' : base64(value)}`);
      }),
      { numRuns: 1000 },
    );
  });
});
