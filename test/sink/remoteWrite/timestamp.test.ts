import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../src/sink/remoteWrite/timestamp.js';

describe('parseTimestamp (--timestamp)', () => {
  it('reads RFC 3339 with Z or an offset, with or without fractions', () => {
    expect(parseTimestamp('2026-11-21T18:30:00Z')).toBe(Date.UTC(2026, 10, 21, 18, 30));
    expect(parseTimestamp('2026-11-21T19:30:00.25+01:00')).toBe(Date.UTC(2026, 10, 21, 18, 30, 0, 250));
    expect(parseTimestamp('2026-11-21t13:00:00-05:30')).toBe(Date.UTC(2026, 10, 21, 18, 30));
    expect(parseTimestamp('2026-11-21 18:30:00.123456789Z')).toBe(Date.UTC(2026, 10, 21, 18, 30, 0, 123));
  });

  it('reads Unix seconds, fractions rounded to the millisecond', () => {
    expect(parseTimestamp('1795285800')).toBe(1795285800000);
    expect(parseTimestamp('1795285800.2505')).toBe(1795285800251);
  });

  it('refuses dates that do not exist, missing zones and other spellings', () => {
    for (const text of ['2026-02-30T00:00:00Z', '2026-11-21T24:00:00Z', '2026-11-21T18:30:00', '2026-11-21', 'now', '-5', '1e9', '', '2026-11-21T18:30:00+25:00']) {
      expect(parseTimestamp(text), text).toBeUndefined();
    }
  });

  it('reads back any instant written as RFC 3339 or as Unix seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), (ms) => {
        expect(parseTimestamp(new Date(ms).toISOString())).toBe(ms);
        expect(parseTimestamp((ms / 1000).toFixed(3))).toBe(ms);
      }),
    );
  });
});
