import fc from 'fast-check';

// Valid metric records of every type, for the property tests of what a push sends.

export const TYPES = ['gauge', 'counter', 'info', 'summary', 'histogram'] as const;
const observations = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 5 });
const labelValue = fc.string({ maxLength: 6 });

/** A valid record of the family `name` (one type and HELP text per name), told apart from the rest of its family by `i`. */
const record = (name: string, type: (typeof TYPES)[number], help: string, i: number) =>
  fc.record({ text: labelValue, value: fc.double({ noNaN: false }), seen: observations }).map(({ text, value, seen }) => {
    const labels = { i: String(i), t: text };
    switch (type) {
      case 'gauge':
      case 'counter':
        return { name, description: help, value: type === 'counter' ? (Number.isFinite(value) ? Math.abs(value) : 0) : spelled(value), metric_type: type, labels };
      case 'info':
        return { name, description: help, value: { v: text }, metric_type: type, labels };
      case 'summary':
        return { name, description: help, value: seen, metric_type: type, labels };
      case 'histogram':
        return { name, description: help, value: seen, metric_type: type, labels, buckets: [-1, 0, 10] };
    }
  });

/** A number as a record gives it: NaN and the infinities as strings. */
const spelled = (value: number): number | string =>
  Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : value;

/** Up to 40 records of up to five families, the families' records interleaved in the file. */
export const anyRecords = fc
  .array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.constantFrom(...TYPES), fc.string({ maxLength: 12 })), { minLength: 1, maxLength: 5 })
  .chain((families) => {
    const family = new Map(families.map(([name, type, help]) => [name, { type, help }]));
    const names = [...family.keys()];
    return fc
      .array(fc.constantFrom(...names), { minLength: 1, maxLength: 40 })
      .chain((order) => fc.tuple(...order.map((name, i) => record(name, family.get(name)!.type, family.get(name)!.help, i))));
  });

