import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { NoInputError } from '../errors.js';
import { readLimited, tooLarge } from './readLimited.js';

/** Reads a local file, refusing one larger than `maxBytes` before reading a byte of it. */
export async function readFileSource(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new NoInputError(`input ${path} is a directory, not a metric file`);
    size = info.size;
  } catch (error) {
    if (error instanceof NoInputError) throw error;
    throw new NoInputError(`cannot read input ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  // A regular file's size is known up front; pipes and /proc files report 0 and are counted as read.
  if (size > maxBytes) throw tooLarge(`input ${path}`, maxBytes, size);
  return readLimited(createReadStream(path), maxBytes, `input ${path}`);
}
