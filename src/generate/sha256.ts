/**
 * The SHA-256 of `text` in hex, for names and uids derived from a job. Node's crypto module is fetched
 * when first called: imported at the top, the one-file CLI bundle would load it for every run.
 */
export function sha256Hex(text: string): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');
}
