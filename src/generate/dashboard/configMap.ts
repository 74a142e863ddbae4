/**
 * kube-prometheus-stack's Grafana runs a sidecar that loads every ConfigMap carrying this label, in
 * every namespace, as dashboards (the chart's values: grafana.sidecar.dashboards.label, labelValue and
 * searchNamespace: ALL).
 */
export const SIDECAR_LABEL = { name: 'grafana_dashboard', value: '1' } as const;

export interface ConfigMapOptions {
  /** The ConfigMap's name; its data key, the file the sidecar writes, is `<name>.json`. */
  name: string;
  /** The label the sidecar selects ConfigMaps by. */
  label?: { name: string; value: string };
}

/**
 * A ConfigMap holding the dashboard's JSON, as YAML. `json` must be dashboardJson()'s output: printable
 * ASCII and newlines only, so that it goes into a literal block scalar unchanged.
 */
export function dashboardConfigMap(json: string, options: ConfigMapOptions): string {
  const label = options.label ?? SIDECAR_LABEL;
  const indented = json.replace(/\n$/, '').replace(/^/gm, '    ');
  return [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${quote(options.name)}`,
    '  labels:',
    `    ${quote(label.name)}: ${quote(label.value)}`,
    '    app.kubernetes.io/name: simplepipe',
    'data:',
    `  ${quote(`${options.name}.json`)}: |`,
    indented,
    '',
  ].join('\n');
}

// A JSON string is a YAML double-quoted scalar, so "1" stays a string and any label stays one value.
const quote = (text: string): string => JSON.stringify(text);
