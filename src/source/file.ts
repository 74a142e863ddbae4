import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { describeFileError, NoInputError, SimplepipeError } from '../errors.js';
import { readLimited, tooLarge } from './readLimited.js';

/** Reads a local file, refusing one larger than `maxBytes` before reading a byte of it. */
export async function readFileSource(path: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new NoInputError(`input ${path} is a directory, not a metric file`);
    // A regular file's size is known up front; pipes and /proc files report 0 and are counted as read.
    if (info.size > maxBytes) throw tooLarge(`input ${path}`, maxBytes, info.size);
    return await readLimited(createReadStream(path), maxBytes, `input ${path}`);
  } catch (error) {
    // Opening can fail after stat succeeded (no read permission), so every file error ends here.
    if (error instanceof SimplepipeError) throw error;
    throw new NoInputError(`cannot read input ${path}: ${describeFileError(error)}`);
  }
}
