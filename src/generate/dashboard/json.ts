import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The dashboard as JSON text that is the same, byte for byte, every time it is generated: keys sorted
 * at every level, a final newline. The frame (variables, links, rows) is indented by two spaces; each
 * panel is one line of its own, so a diff still shows which panel changed while the text is about half
 * the size of an indented one (a dashboard in a ConfigMap has a size limit). Every character outside
 * printable ASCII is written as a \u escape, so the text can go into a YAML block scalar (a ConfigMap)
 * as it is: YAML reads U+0085 and U+2028 as line breaks and refuses most control characters.
 */
export function dashboardJson(dashboard: Dashboard): string {
  const text = render(sortKeys(dashboard), '');
  return `${text.replace(/[^\x20-\x7e\n]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** JSON.stringify(value, null, 2), except that a panel other than a row is written on one line. */
function render(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object' || isPanel(value)) return JSON.stringify(value) ?? 'null';
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[\n${value.map((item) => `${inner}${render(item, inner)}`).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  return entries.length === 0 ? '{}' : `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${render(item, inner)}`).join(',\n')}\n${indent}}`;
}

const isPanel = (value: object): boolean => 'gridPos' in value && 'type' in value && value.type !== 'row';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
}
