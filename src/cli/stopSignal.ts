/**
 * Aborted on SIGTERM or SIGINT. Imported first by app.ts, so that the handlers are in place before the
 * rest of the bundle is evaluated: until a handler exists, a SIGTERM (Argo stopping the step in its
 * first few hundred milliseconds) kills the process without a word.
 */
const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => controller.abort(new Error(`received ${signal}`)));
}
export const stopSignal: AbortSignal = controller.signal;
