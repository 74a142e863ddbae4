import { DataError } from '../errors.js';
import { tooLarge } from './readLimited.js';

/** How an input was packed: gzip, a tar archive, or both (Argo's default for an output artifact, `.tgz`). */
export type Packing = 'gzip' | 'tar' | 'tar+gzip';

export interface UnpackedInput {
  bytes: Buffer;
  /** Absent for an input that was not packed. */
  packing?: Packing;
  /** The name of the one file an archive held, as the archive spells it. */
  name?: string;
}

/**
 * Unpacks gzip and tar by their magic bytes, whatever the input's name: Argo archives a file artifact as a
 * tar+gzip of that one file by default, and a tool may gzip a metric file on its own. The decompressed
 * size counts against `maxBytes` as it is produced, so a decompression bomb is refused once it passes the
 * limit, never expanded whole.
 */
export async function unpackInput(bytes: Buffer, origin: string, maxBytes: number): Promise<UnpackedInput> {
  const gzipped = isGzip(bytes);
  const data = gzipped ? await gunzipLimited(bytes, origin, maxBytes) : bytes;
  if (!isTar(data)) return gzipped ? { bytes: data, packing: 'gzip' } : { bytes: data };
  const file = await onlyFileOf(data, origin);
  return { bytes: file.bytes, packing: gzipped ? 'tar+gzip' : 'tar', name: file.name };
}

/** RFC 1952: every gzip member starts 1f 8b, then the method, 8 (deflate). */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;
}

/** POSIX ustar, GNU and PAX archives (what Go's archive/tar, used by Argo, and GNU tar write) carry "ustar" at offset 257. */
function isTar(bytes: Buffer): boolean {
  return bytes.length >= 512 && bytes.toString('latin1', 257, 262) === 'ustar';
}

async function gunzipLimited(bytes: Buffer, origin: string, maxBytes: number): Promise<Buffer> {
  // Loaded on first use: a plain push loads no zlib (test/build/plainHttpModules.test.ts).
  const { gunzipSync } = await import('node:zlib');
  try {
    // maxOutputLength stops the inflation as soon as the output passes it: a bomb costs maxBytes, not its size.
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`input ${origin} (decompressed)`, maxBytes);
    throw new DataError(`${origin} starts as gzip but cannot be decompressed: ${(error as Error).message}`, [], { cause: error });
  }
}

/** The one regular file of a tar archive; an archive of none or of several is refused, naming them. */
async function onlyFileOf(archive: Buffer, origin: string): Promise<{ name: string; bytes: Buffer }> {
  // Loaded on first use: only an archived input needs it.
  const { extract } = await import('tar-stream');
  const extractor = extract();
  extractor.end(archive);
  const files: { name: string; bytes: Buffer }[] = [];
  try {
    for await (const entry of extractor) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') files.push({ name: entry.header.name, bytes: Buffer.concat(chunks) });
    }
  } catch (error) {
    throw new DataError(`${origin} is a tar archive that cannot be read: ${(error as Error).message}`, [], { cause: error });
  }
  if (files.length === 1) return files[0]!;
  const names = files.map((file) => file.name);
  const listed = names.length === 0 ? 'no file' : `${names.length} files (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`;
  throw new DataError(`${origin} is a tar archive of ${listed}; simplepipe reads an archive of one file, as Argo makes of a file artifact`);
}
