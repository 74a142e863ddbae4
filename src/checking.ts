/**
 * An input being validated while it is sent (pipeline.ts): its families, each handed over once it is
 * complete, and the whole document once every check has passed.
 *
 * A family can be sent only once all its records are checked: the gateway keeps the last message of a
 * name, so a family is never split. When every family's records stand together in the input (the usual
 * file: one family after another, or every record its own), a family is complete as soon as a record of
 * another family follows it, and families go out as validation passes them. When a family's records are
 * spread among others', the families are sent once the whole input has passed, grouped as a dry run groups them.
 */

import { groupByName } from './convert/families.js';
import type { MetricRecord, ValidDocument, ValidRecord } from './records.js';
import type { CheckingDocument } from './sink/types.js';
import { infoFamilyName } from './validate/semantic.js';

type Family = readonly ValidRecord[];
type Batch = readonly Family[];

/** Fed by validation (`progress`, then `end`), read by a sink (CheckingDocument). */
export class Checking implements CheckingDocument {
  readonly whole: Promise<ValidDocument>;
  /** Whether each family's records stand together in the input, so that it can be sent while the rest is checked. */
  readonly #together: boolean;
  /** The families of the input, counted while their records were found standing together; unknown when they do not. */
  readonly familyCount: number | undefined;
  #records: readonly ValidRecord[] = [];
  #problems = 0;
  #ended = false;
  /** Counts progress and the end: a reader waits only when nothing has happened since it last looked. */
  #news = 0;
  #waiting: (() => void)[] = [];
  #finish!: (document: ValidDocument) => void;
  #refuse!: (error: unknown) => void;

  /** `list`: the records of the input as validation reads them (the document's list, not yet checked). */
  constructor(list: readonly unknown[]) {
    this.familyCount = familiesStandingTogether(list);
    this.#together = this.familyCount !== undefined;
    this.whole = new Promise<ValidDocument>((resolve, reject) => {
      this.#finish = resolve;
      this.#refuse = reject;
    });
    // Read by whoever needs it; a refusal nobody has asked for yet is not an unhandled one.
    this.whole.catch(() => {});
  }

  /** A CheckProgress: `records` holds the records that passed so far (the array grows), `problems` the problems found. */
  readonly progress = (_checked: number, records: readonly ValidRecord[], problems: number): void => {
    this.#records = records;
    this.#problems = problems;
    this.#wake();
  };

  end(outcome: { document: ValidDocument } | { error: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    if ('document' in outcome) {
      this.#records = outcome.document.records;
      this.#finish(outcome.document);
    } else this.#refuse(outcome.error);
    this.#wake();
  }

  families(): AsyncIterable<Batch> {
    return { [Symbol.asyncIterator]: () => (this.#together ? this.#runs() : this.#grouped()) };
  }

  /** Families spread through the input: all of them, grouped, once the whole input has passed. */
  async *#grouped(): AsyncGenerator<Batch, void, void> {
    yield groupByName((await this.whole).records);
  }

  /**
   * Families that stand together: each run of records of one name, once a record of another name follows it,
   * or validation has ended. The last run seen so far waits: more records of its family may come.
   */
  async *#runs(): AsyncGenerator<Batch, void, void> {
    let start = 0;
    let seen = -1;
    for (;;) {
      if (this.#news === seen) await new Promise<void>((resolve) => this.#waiting.push(resolve));
      seen = this.#news;
      // Once a problem is found, nothing more is sent: the request ends without its tail when the refusal comes.
      if (this.#problems > 0) await this.whole;
      const ended = this.#ended;
      if (ended) await this.whole;
      const records = this.#records;
      const batch: Family[] = [];
      for (let end = start + 1; end <= records.length; end++) {
        const complete = end === records.length ? ended : records[end]!.name !== records[start]!.name;
        if (!complete) continue;
        batch.push(records.slice(start, end));
        start = end;
      }
      if (batch.length > 0) yield batch;
      if (ended) return;
    }
  }

  #wake(): void {
    this.#news++;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * How many families `list` holds when the records of each stand together (no family's name comes back
 * once another has followed it); undefined, at the first that comes back, when they do not. The family
 * is the name a record is exposed under (an info record's `_info`), as validation names it.
 */
function familiesStandingTogether(list: readonly unknown[]): number | undefined {
  const ended = new Set<string>();
  let current: string | undefined;
  for (const item of list) {
    const record = item as Partial<MetricRecord> | null;
    // A record without a name is refused by validation: whatever it stands between, nothing is sent.
    if (typeof record !== 'object' || record === null || typeof record.name !== 'string') continue;
    const name = record.metric_type === 'info' ? infoFamilyName(record.name) : record.name;
    if (name === current) continue;
    if (ended.has(name)) return undefined;
    if (current !== undefined) ended.add(current);
    current = name;
  }
  return current === undefined ? 0 : ended.size + 1;
}
