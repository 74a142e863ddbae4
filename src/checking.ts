/**
 * An input being validated while it is sent (pipeline.ts): the records checked so far, grouped into
 * families as each family's last record is checked, and the whole document once every check has passed.
 */

import type { MetricRecord, ValidDocument, ValidRecord } from './records.js';
import type { CheckingDocument } from './sink/types.js';
import { infoFamilyName } from './validate/semantic.js';

type Family = readonly ValidRecord[];
type Batch = readonly Family[];

/** Fed by validation (CheckProgress, then the end), read by a sink (CheckingDocument). */
export class Checking implements CheckingDocument {
  readonly whole: Promise<ValidDocument>;
  /** Each family's name and the index of its last record in the input, in the order of its first record. */
  readonly #familyEnds: ReadonlyMap<string, number>;
  #records: readonly ValidRecord[] = [];
  /** Input records checked: those before this index. */
  #checked = 0;
  #problems = 0;
  /** Settled once `whole` is: the families wait for this, not for a promise per step. */
  #ended = false;
  #waiting: (() => void)[] = [];
  #finish!: (document: ValidDocument) => void;
  #refuse!: (error: unknown) => void;

  /** `list`: the records of the input as validation reads them (the document's list, not yet checked). */
  constructor(list: readonly unknown[]) {
    this.#familyEnds = familyEnds(list);
    this.whole = new Promise<ValidDocument>((resolve, reject) => {
      this.#finish = resolve;
      this.#refuse = reject;
    });
    // Read by whoever needs it; a refusal nobody has asked for yet is not an unhandled one.
    this.whole.catch(() => {});
  }

  /** The families of the input (of a valid one: of its records), counted while they were found. */
  get familyCount(): number {
    return this.#familyEnds.size;
  }

  /** A CheckProgress: the records before `checked` are checked, those that passed in `records`. */
  readonly progress = (checked: number, records: readonly ValidRecord[], problems: number): void => {
    this.#checked = checked;
    this.#records = records;
    this.#problems = problems;
    this.#wake();
  };

  end(outcome: { document: ValidDocument } | { error: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    if ('document' in outcome) {
      this.#records = outcome.document.records;
      this.#checked = Infinity;
      this.#finish(outcome.document);
    } else this.#refuse(outcome.error);
    this.#wake();
  }

  families(): AsyncIterable<Batch> {
    return { [Symbol.asyncIterator]: () => this.#batches() };
  }

  async *#batches(): AsyncGenerator<Batch, void, void> {
    // The records taken so far from #records, grouped by name until their family is complete.
    let taken = 0;
    const open = new Map<string, ValidRecord[]>();
    let batch: Family[] = [];
    for (const [name, end] of this.#familyEnds) {
      if (end >= this.#checked) {
        if (batch.length > 0) yield batch;
        batch = [];
        // Once a problem is found, nothing more is sent: the request ends without its tail when the refusal comes.
        while (end >= this.#checked && !this.#ended && this.#problems === 0) await this.#step();
        if (this.#ended || this.#problems > 0) await this.whole;
      }
      for (const records = this.#records; taken < records.length; taken++) {
        const record = records[taken]!;
        const family = open.get(record.name);
        if (family === undefined) open.set(record.name, [record]);
        else family.push(record);
      }
      const family = open.get(name);
      // A family none of whose records passed: the input is refused, at the latest when validation ends.
      if (family === undefined) continue;
      open.delete(name);
      batch.push(family);
    }
    if (batch.length > 0) yield batch;
    await this.whole;
    // Every family of a valid input has a name the list gave (familyEnds); any other would be sent last rather than lost.
    if (open.size > 0) yield [...open.values()];
  }

  /** Resolves at the next progress or the end. */
  #step(): Promise<void> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #wake(): void {
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * The last index of each family's records, families in the order of their first records: a family is
 * complete once validation has passed its last record. The family is the name a record is exposed
 * under (an info record's `_info`), as validation and groupByName name it; a record without a name has
 * none, and is refused by validation.
 */
function familyEnds(list: readonly unknown[]): Map<string, number> {
  const ends = new Map<string, number>();
  for (let index = 0; index < list.length; index++) {
    const record = list[index] as Partial<MetricRecord> | null;
    if (typeof record !== 'object' || record === null || typeof record.name !== 'string') continue;
    ends.set(record.metric_type === 'info' ? infoFamilyName(record.name) : record.name, index);
  }
  return ends;
}
