const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Reads `--timestamp`: RFC 3339 (`2026-11-21T18:30:00Z`, `2026-11-21T19:30:00.250+01:00`) or Unix
 * seconds (`1795285800`, `1795285800.25`), as milliseconds since the epoch (what remote write sends;
 * finer digits are rounded). Undefined for anything else, a date that does not exist included.
 */
export function parseTimestamp(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const ms = Math.round(Number(trimmed) * 1000);
    return Number.isSafeInteger(ms) ? ms : undefined;
  }
  const match = rfc3339.exec(trimmed);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone, sign, zoneHours, zoneMinutes] = match;
  const fields = [year, month, day, hour, minute, second].map(Number) as [number, number, number, number, number, number];
  const [y, mo, d, h, mi, s] = fields;
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2026-02-30 over into March; a date that does not exist is refused instead.
  const check = new Date(local);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  if (zone !== 'Z' && zone !== 'z' && (Number(zoneHours) > 23 || Number(zoneMinutes) > 59)) return undefined;
  const offsetMs = zone === 'Z' || zone === 'z' ? 0 : (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes)) * 60_000;
  return local - offsetMs + Math.round(Number(`0${fraction ?? ''}`) * 1000);
}
