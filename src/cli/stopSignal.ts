import { getEventListeners } from 'node:events';

/**
 * Aborted on SIGTERM or SIGINT. Imported first by app.ts, so that the handlers are in place before the
 * rest of the bundle is evaluated: until a handler exists, a SIGTERM (Argo stopping the step in its
 * first few hundred milliseconds) kills the process without a word.
 */
const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
const controller = new AbortController();
const force = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (!controller.signal.aborted) {
    controller.abort(new Error(`received ${signal}`));
    return;
  }
  for (const name of SIGNALS) process.removeListener(name, onSignal);
  // A command finishing its work on the first signal (watch) stops at once on the second; any other
  // command ends as it would without these handlers, by the signal's default action.
  if (getEventListeners(force.signal, 'abort').length > 0) force.abort(new Error(`received ${signal} again`));
  else process.kill(process.pid, signal);
};
for (const name of SIGNALS) process.on(name, onSignal);

export const stopSignal: AbortSignal = controller.signal;
/** Aborted on a second signal, for a command that does its final work on the first. */
export const forceSignal: AbortSignal = force.signal;
