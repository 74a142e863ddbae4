import { parseSampleNumber, seriesKey, type Sample } from '../../src/sink/pushgateway/samples.js';

/**
 * Reads the sample lines of exposition text simplepipe itself rendered (no timestamps): for tests that
 * compare what a dry run prints with what a server stores. simplepipe itself reads no text back (--verify
 * compares the gateway's samples with the records' own expansion).
 */
export function samplesFromExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const { name, labels, rest } = splitSampleLine(line);
    samples.push({ series: seriesKey(name, labels), value: parseSampleNumber(rest.trim()) });
  }
  return samples;
}

/** Splits `name{a="x",b="y\"z"} 1` into its parts, undoing the format's `\\`, `\"` and `\n` escapes. */
function splitSampleLine(line: string): { name: string; labels: Record<string, string>; rest: string } {
  const brace = line.indexOf('{');
  const space = line.indexOf(' ');
  if (brace === -1 || (space !== -1 && space < brace)) return { name: line.slice(0, space), labels: {}, rest: line.slice(space) };
  const labels: Record<string, string> = {};
  let at = brace + 1;
  while (line[at] !== '}') {
    const equals = line.indexOf('="', at);
    const label = line.slice(at, equals);
    let value = '';
    for (at = equals + 2; line[at] !== '"'; at++) {
      if (line[at] === '\\') {
        at++;
        value += line[at] === 'n' ? '\n' : line[at];
      } else value += line[at];
    }
    labels[label] = value;
    at++;
    if (line[at] === ',') at++;
  }
  return { name: line.slice(0, brace), labels, rest: line.slice(at + 1) };
}
