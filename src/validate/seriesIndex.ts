import type { Labels } from '../records.js';

/**
 * The series of one family seen so far, to find a duplicate: two series are one when their labels are the
 * same in any order, an empty value being an absent label (as Prometheus takes them). A series is filed by
 * its record's index under a hash of its labels, a number, and compared label by label only with the
 * series of the same hash (`labelsOf` gives an earlier record's labels): no key string is built per record.
 *
 * It replaced a Map of JSON.stringify keys over sorted label names, which cost 134 ms of a 100,000-series
 * push (issue 28); test/validate/seriesIndex.property.test.ts holds it to that, with its own hash and with
 * one under which every series collides.
 */
export class SeriesIndex {
  /** Hash → the first record filed under it; the later ones of the same hash, rare, in #more. */
  readonly #first = new Map<number, number>();
  #more: Map<number, number[]> | undefined;
  readonly #labelsOf: (index: number) => Labels;
  readonly #hash: (labels: Labels) => number;

  constructor(labelsOf: (index: number) => Labels, hash: (labels: Labels) => number = labelsHash) {
    this.#labelsOf = labelsOf;
    this.#hash = hash;
  }

  /** The index of the earliest record filed with these labels, if there is one; else files them under `index`. */
  add(labels: Labels, index: number): number | undefined {
    const hash = this.#hash(labels);
    const first = this.#first.get(hash);
    if (first === undefined) {
      this.#first.set(hash, index);
      return undefined;
    }
    if (sameLabels(this.#labelsOf(first), labels)) return first;
    const more = this.#more?.get(hash);
    for (const earlier of more ?? []) if (sameLabels(this.#labelsOf(earlier), labels)) return earlier;
    if (more === undefined) (this.#more ??= new Map()).set(hash, [index]);
    else more.push(index);
    return undefined;
  }
}

/** A hash of the labels with a value, the same in any order: each label's FNV-1a hash, summed. */
export function labelsHash(labels: Labels): number {
  let sum = 0;
  for (const name in labels) {
    const value = labels[name]!;
    if (value === '') continue;
    let hash = 0x811c9dc5;
    for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193);
    // Where the name ends, beyond any character: {ab="c"} and {a="bc"} hash apart.
    hash = Math.imul(hash ^ 0x10000, 0x01000193);
    for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), 0x01000193);
    sum = (sum + hash) | 0;
  }
  return sum;
}

/** Whether two label sets are one series: the same labels with a value, each with the same value. */
function sameLabels(a: Labels, b: Labels): boolean {
  let count = 0;
  for (const name in a) {
    const value = a[name]!;
    if (value === '') continue;
    if (!Object.hasOwn(b, name) || b[name] !== value) return false;
    count++;
  }
  for (const name in b) if (b[name] !== '') count--;
  return count === 0;
}
