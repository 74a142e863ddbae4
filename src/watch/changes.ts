import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from '../log.js';

export interface ChangeOptions {
  /** Quiet time after the last file-system event of a burst before `onChange` is called. */
  debounceMs: number;
  /** How often the file's size, times and inode are compared, for volumes whose events never arrive. */
  pollMs: number;
  logger: Logger;
}

/** Stops watching: no call to `onChange` follows. */
export type StopWatching = () => void;

/**
 * Calls `onChange` whenever `path` may have changed. Two ways, because neither suffices alone: events on
 * the file's directory (a watch on the file itself would keep following the old inode once a new file is
 * renamed into place), `debounceMs` after the last of a burst; and a poll every `pollMs` of the file's
 * size, times and inode, for volumes whose events never reach this container (NFS, many FUSE and CSI
 * mounts, a directory written from another node). A call means "look again", never "it did change".
 */
export function watchForChanges(path: string, onChange: () => void, options: ChangeOptions): StopWatching {
  let closed = false;
  let debounce: NodeJS.Timeout | undefined;
  let poll: NodeJS.Timeout | undefined;
  let lastSeen: string | undefined;
  const name = basename(path);

  const changed = (): void => {
    if (!closed) onChange();
  };
  const onEvent = (_event: string, filename: string | Buffer | null): void => {
    // Some platforms name no file; then any event in the directory is worth a look.
    if (filename !== null && filename.toString() !== name) return;
    clearTimeout(debounce);
    debounce = setTimeout(changed, options.debounceMs);
  };
  const events = watchDirectory(dirname(path), onEvent, options);

  const pollOnce = async (): Promise<void> => {
    const seen = await fileIdentity(path);
    if (closed) return;
    if (seen !== lastSeen) {
      lastSeen = seen;
      changed();
    }
    poll = setTimeout(() => void pollOnce(), options.pollMs);
  };
  void pollOnce();

  return () => {
    closed = true;
    clearTimeout(debounce);
    clearTimeout(poll);
    events?.close();
  };
}

/** Directory events, or none (with a warning) where the platform or the volume refuses them: the poll carries on alone. */
function watchDirectory(directory: string, onEvent: (event: string, filename: string | Buffer | null) => void, options: ChangeOptions): FSWatcher | undefined {
  const fallback = (error: unknown): void =>
    options.logger.warn(`no file-system events for ${directory} (${error instanceof Error ? error.message : String(error)}): looking for changes every ${options.pollMs} ms instead`);
  try {
    const watcher = watch(directory, { persistent: true }, onEvent);
    watcher.on('error', (error) => {
      fallback(error);
      watcher.close();
    });
    return watcher;
  } catch (error) {
    fallback(error);
    return undefined;
  }
}

/** What tells two versions of a file apart without reading it: inode (a rename), size, and nanosecond times. */
async function fileIdentity(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? ''}`;
  }
}
