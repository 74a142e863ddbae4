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

/** Several dashboards' ConfigMaps in one YAML stream, as `kubectl apply -f -` reads it. */
export function dashboardConfigMaps(dashboards: readonly { json: string; name: string }[], label?: ConfigMapOptions['label']): string {
  return dashboards.map(({ json, name }) => dashboardConfigMap(json, { name, label })).join('---\n');
}

/**
 * What the ConfigMap may hold in the annotation `kubectl apply` writes on it: Kubernetes refuses an
 * object whose annotations pass 262,144 bytes in all, and `kubectl.kubernetes.io/last-applied-configuration`
 * repeats the whole object. 12,144 bytes stay for the annotation's name and for other annotations.
 */
export const LAST_APPLIED_BUDGET = 250_000;

/** The longest namespace a ConfigMap may be applied in: its name is in the annotation too. */
const LONGEST_NAMESPACE = 'n'.repeat(63);

/**
 * The bytes of the last-applied annotation `kubectl apply -n <namespace>` writes for this ConfigMap:
 * the object as compact JSON with a final newline, as Go's encoder writes it (`<`, `>` and `&` as
 * six-byte \u escapes; the JSON is printable ASCII otherwise), in the longest namespace there can be.
 */
export function lastAppliedBytes(json: string, options: ConfigMapOptions): number {
  const label = options.label ?? SIDECAR_LABEL;
  const object = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: options.name, namespace: LONGEST_NAMESPACE, labels: { [label.name]: label.value, 'app.kubernetes.io/name': 'simplepipe' } },
    data: { [`${options.name}.json`]: json },
  };
  const text = JSON.stringify(object);
  return text.length + 5 * (text.match(/[<>&]/g)?.length ?? 0) + 1;
}

// A JSON string is a YAML double-quoted scalar, so "1" stays a string and any label stays one value.
const quote = (text: string): string => JSON.stringify(text);
