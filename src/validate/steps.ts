/**
 * A long check over many records, written once as a generator that yields between slices of its work.
 * The library's synchronous API runs it straight through; the pipeline yields to the event loop at each
 * step, so that a SIGTERM is heard within a slice, not after 100,000 records.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** Runs the steps, letting timers and signals in between them; `between` may throw to stop (an abort). */
export async function runStepsYielding<T>(steps: Steps<T>, between: () => void): Promise<T> {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
    between();
  }
}

/** Records per step: about 10 ms of checking on a busy machine. */
export const RECORDS_PER_STEP = 1000;
