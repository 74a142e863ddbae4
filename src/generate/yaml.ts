/**
 * A YAML writer for the generated rule files: mappings, sequences and strings, nothing else. A string
 * is written plain only when it is a name no parser could read as anything else; every other string is
 * quoted, so nothing changes type on its way through a YAML 1.1 parser (the Kubernetes API server's)
 * or a 1.2 one (Prometheus'): `on`, `no`, `1e3` and `~` stay strings.
 */
export type YamlValue = string | readonly YamlValue[] | { readonly [key: string]: YamlValue | undefined };

export function toYaml(document: { readonly [key: string]: YamlValue | undefined }): string {
  return isEmpty(document) ? '{}\n' : `${mappingLines(document, 0).join('\n')}\n`;
}

function mappingLines(mapping: { readonly [key: string]: YamlValue | undefined }, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(mapping)) {
    if (value === undefined) continue;
    const head = `${pad}${yamlScalar(key)}:`;
    if (typeof value === 'string') lines.push(`${head} ${yamlScalar(value)}`);
    else if (isEmpty(value)) lines.push(`${head} ${Array.isArray(value) ? '[]' : '{}'}`);
    else lines.push(head, ...blockLines(value, indent + 2));
  }
  return lines;
}

/** A non-empty mapping or sequence as a block at `indent`. */
function blockLines(value: Exclude<YamlValue, string>, indent: number): string[] {
  if (!isSequence(value)) return mappingLines(value, indent);
  const pad = ' '.repeat(indent);
  return value.flatMap((item) => {
    if (typeof item === 'string') return [`${pad}- ${yamlScalar(item)}`];
    if (isEmpty(item)) return [`${pad}- ${Array.isArray(item) ? '[]' : '{}'}`];
    // The item's block, two deeper, with its first line's indentation taken by the dash.
    const lines = blockLines(item, indent + 2);
    lines[0] = `${pad}- ${lines[0]!.slice(indent + 2)}`;
    return lines;
  });
}

function isSequence(value: Exclude<YamlValue, string>): value is readonly YamlValue[] {
  return Array.isArray(value);
}

function isEmpty(value: Exclude<YamlValue, string>): boolean {
  return isSequence(value) ? value.length === 0 : Object.values(value).every((item) => item === undefined);
}

/** Words YAML 1.1 reads as booleans or null, and the merge key. */
const YAML_1_1_WORDS = new Set(['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null']);

/** Plain when it starts with a letter (so it is no number, date or indicator) and is no YAML 1.1 word. */
function yamlScalar(text: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(text) && !YAML_1_1_WORDS.has(text.toLowerCase());
  return plain ? text : yamlString(text);
}

/**
 * Characters a single-quoted scalar may hold as they are: YAML's printable set without the line
 * breaks YAML 1.1 knows (NEL, U+2028, U+2029) and without the byte-order mark.
 */
const SINGLE_QUOTABLE = /^[\x20-\x7E\xA0-\u2027\u202A-\uD7FF\uE000-\uFEFE\uFF00-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

export function yamlString(text: string): string {
  if (SINGLE_QUOTABLE.test(text)) return `'${text.replaceAll("'", "''")}'`;
  let quoted = '"';
  for (const char of text) quoted += escapeChar(char);
  return `${quoted}"`;
}

const NAMED_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r', '\0': '\\0' };

function escapeChar(char: string): string {
  const named = NAMED_ESCAPES[char];
  if (named !== undefined) return named;
  if (SINGLE_QUOTABLE.test(char)) return char;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, '0')}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, '0')}`;
  return `\\U${code.toString(16).padStart(8, '0')}`;
}
