import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { describeFileError, NoInputError, SimplepipeError } from '../errors.js';
import { readLimited, tooLarge } from './readLimited.js';

/** Reads a local file, refusing one larger than `maxBytes` before reading a byte of it. */
export async function readFileSource(path: string, maxBytes: number): Promise<Buffer> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new NoInputError(`input ${path} is a directory, not a metric file`);
    if (info.size > maxBytes) throw tooLarge(`input ${path}`, maxBytes, info.size);
    // Pipes and /proc files report size 0 and are counted as read. A regular file's size is known, and
    // readFile reads it into one buffer of that size: no list of 64 KiB chunks copied into a second one,
    // which for a 20 MB file cost 100 ms and its size again in peak memory (bench/README.md).
    if (!info.isFile() || info.size === 0) return await readLimited(createReadStream(path), maxBytes, `input ${path}`);
    const bytes = await readFile(path);
    // It may have grown since stat().
    if (bytes.byteLength > maxBytes) throw tooLarge(`input ${path}`, maxBytes, bytes.byteLength);
    return bytes;
  } catch (error) {
    // Opening can fail after stat succeeded (no read permission), so every file error ends here.
    if (error instanceof SimplepipeError) throw error;
    throw new NoInputError(`cannot read input ${path}: ${describeFileError(error)}`, { cause: error });
  }
}
