import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/index.js';
import { groupingPath, groupUrl } from '../../../src/sink/pushgateway/groupingKey.js';

describe('groupingPath', () => {
  it('puts the job first and grouping labels after it, in order', () => {
    expect(groupingPath('simple')).toBe('/metrics/job/simple');
    expect(groupingPath('j', { instance: 'a', zone: 'b' })).toBe('/metrics/job/j/instance/a/zone/b');
  });

  it('sends values holding a slash as URL-safe base64', () => {
    expect(groupingPath('a/b')).toBe('/metrics/job@base64/YS9i');
    expect(groupingPath('j', { path: '/var/tmp?>>' })).toBe(`/metrics/job/j/path@base64/${Buffer.from('/var/tmp?>>').toString('base64url')}`);
    expect(Buffer.from('/var/tmp?>>').toString('base64url')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('sends an empty grouping value as @base64/=', () => {
    expect(groupingPath('j', { instance: '' })).toBe('/metrics/job/j/instance@base64/=');
  });

  it('percent-encodes other values and never sends a space as +', () => {
    expect(groupingPath('my job', { v: 'ä+%?#' })).toBe('/metrics/job/my%20job/v/%C3%A4%2B%25%3F%23');
  });

  it('rejects an empty job, invalid label names and job as a grouping label', () => {
    expect(() => groupingPath('')).toThrow(ConfigError);
    expect(() => groupingPath('j', { 'a-b': 'x' })).toThrow(/not a valid label name/);
    expect(() => groupingPath('j', { job: 'x' })).toThrow(ConfigError);
  });

  it('keeps the gateway’s route prefix', () => {
    expect(groupUrl(new URL('http://gw:9091/prefix/'), 'j').href).toBe('http://gw:9091/prefix/metrics/job/j');
  });
});
