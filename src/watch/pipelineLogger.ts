import type { LogFields, Logger } from '../log.js';

/**
 * The logger a watch gives each push: the pipeline's step lines (read, validated, pushed) go to debug, the
 * watcher saying in one line what each push came to; and a warning already given at the previous push
 * (a naming problem the file keeps) goes to debug too, so a long watch does not repeat it every interval.
 */
export function pipelineLogger(logger: Logger): { logger: Logger; nextPush: () => void } {
  let previous = new Set<string>();
  let current = new Set<string>();
  const warn = (message: string, fields?: LogFields): void => {
    current.add(message);
    if (previous.has(message)) logger.debug(message, fields);
    else logger.warn(message, fields);
  };
  return {
    logger: { debug: (message, fields) => logger.debug(message, fields), info: (message, fields) => logger.debug(message, fields), warn, error: (message, fields) => logger.error(message, fields) },
    nextPush: () => {
      previous = current;
      current = new Set();
    },
  };
}
