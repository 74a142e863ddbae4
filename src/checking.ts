/**
 * An input being validated while it is sent (pipeline.ts): its families, each handed over once its last
 * record is checked, and the whole document once every check has passed.
 */

import type { ValidDocument, ValidRecord } from './records.js';
import type { CheckingDocument } from './sink/types.js';
import { FamilyTable, type CheckProgress } from './validate/semantic.js';

type Batch = readonly (readonly ValidRecord[])[];

/** Fed by validation (its CheckProgress, then the end), read by a sink (CheckingDocument). */
export class Checking implements CheckingDocument, CheckProgress {
  readonly whole: Promise<ValidDocument>;
  /** The input's families in the order of their first records, filled by validation with their valid records. */
  readonly table: FamilyTable;
  /** Input records checked: those before this index. */
  #checked = 0;
  #problems = 0;
  #ended = false;
  #waiting: (() => void)[] = [];
  #finish!: (document: ValidDocument) => void;
  #refuse!: (error: unknown) => void;

  /** `list`: the records of the input as validation reads them (the document's list, not yet checked). */
  constructor(list: readonly unknown[]) {
    this.table = new FamilyTable(list);
    this.whole = new Promise<ValidDocument>((resolve, reject) => {
      this.#finish = resolve;
      this.#refuse = reject;
    });
    // Read by whoever needs it; a refusal nobody has asked for yet is not an unhandled one.
    this.whole.catch(() => {});
  }

  /** The families of the input (of a valid one: of its records), counted while they were found. */
  get familyCount(): number {
    return this.table.families.length;
  }

  /** CheckProgress: the records before `checked` are checked, and `problems` found so far. */
  checked(checked: number, problems: number): void {
    this.#checked = checked;
    this.#problems = problems;
    this.#wake();
  }

  end(outcome: { document: ValidDocument } | { error: unknown }): void {
    if (this.#ended) return;
    this.#ended = true;
    if ('document' in outcome) {
      this.#checked = Infinity;
      this.#finish(outcome.document);
    } else this.#refuse(outcome.error);
    this.#wake();
  }

  families(): AsyncIterable<Batch> {
    return { [Symbol.asyncIterator]: () => this.#batches() };
  }

  async *#batches(): AsyncGenerator<Batch, void, void> {
    let batch: (readonly ValidRecord[])[] = [];
    let handed = 0;
    for (const family of this.table.families) {
      if (family.end >= this.#checked) {
        if (batch.length > 0) yield batch;
        batch = [];
        // Once a problem is found, nothing more is sent: the request ends without its tail when the refusal comes.
        while (family.end >= this.#checked && !this.#ended && this.#problems === 0) await this.#step();
        if (this.#ended || this.#problems > 0) await this.whole;
      }
      // A family some of whose records did not pass: the input is refused, at the latest when validation ends.
      if (family.filled < family.size) await this.whole;
      batch.push(family.records);
      handed += family.filled;
    }
    if (batch.length > 0) yield batch;
    const { records } = await this.whole;
    // Every valid record is in a family of the table; were one not, the body must not end without it.
    if (handed !== records.length) throw new Error(`${records.length - handed} of ${records.length} valid records are in no family found before validation`);
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
