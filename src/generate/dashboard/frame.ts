import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';

/**
 * The oldest Grafana the dashboards are made for: the first to read dashboards of the foundation SDK's
 * schemaVersion without migrating them. test/generate/grafanaSchema.test.ts checks the JSON against
 * the schema of this version (the dev dependency @grafana/schema, pinned to it).
 */
export const MINIMUM_GRAFANA = { version: '12.2.0', schemaVersion: 42 } as const;

/** Every generated dashboard carries this tag, and links to the others by it. */
export const DASHBOARD_TAG = 'simplepipe';

/**
 * What every generated dashboard shares: tag, time range (a week: batch pipelines run daily or so),
 * a shared crosshair, and a drop-down of the other simplepipe dashboards.
 */
export function dashboardFrame(title: string, uid: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags([DASHBOARD_TAG])
    .time({ from: 'now-7d', to: 'now' })
    .refresh('5m')
    .tooltip(DashboardCursorSync.Crosshair)
    .link(
      new DashboardLinkBuilder('Pipelines')
        .type(DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(false),
    );
}

/**
 * A drop-down of the dashboards carrying `tag`: the parts of one job's dashboard, each with the same
 * variables selected and the same time range.
 */
export function partsLink(tag: string): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Parts').type(DashboardLinkType.Dashboards).tags([tag]).asDropdown(true).keepTime(true).includeVars(true);
}

/**
 * Builds the dashboard and numbers its rows and panels top to bottom, those inside a collapsed row
 * too (Grafana needs an id on each), and leaves out what the SDK writes that the schema of
 * MINIMUM_GRAFANA does not define (see withinMinimumSchema).
 */
export function buildNumbered(builder: DashboardBuilder): Dashboard {
  const dashboard = builder.build();
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    panel.id = ++id;
    if ('panels' in panel) for (const inner of panel.panels) inner.id = ++id;
  }
  return withinMinimumSchema(dashboard);
}

/**
 * The SDK writes a few defaults that Grafana's schema of MINIMUM_GRAFANA (and later) lacks: the interval
 * variable's `auto` settings on every variable, a link `placement` (12.3 and later; absent, a link is
 * shown where 12.2 shows it), and the table's footer among its options (now a field setting; `show: false`
 * is no footer, as when absent). The table's field settings need a cell type there: `auto`, Grafana's own.
 */
function withinMinimumSchema(dashboard: Dashboard): Dashboard {
  for (const variable of dashboard.templating.list ?? []) {
    if (variable.type === 'interval') continue;
    delete variable.auto;
    delete variable.auto_count;
    delete variable.auto_min;
  }
  for (const link of dashboard.links ?? []) delete link.placement;
  for (const panel of (dashboard.panels ?? []).flatMap((p) => ('panels' in p ? p.panels : [p]))) {
    if (panel.type !== 'table') continue;
    const options = panel.options as { footer?: { show?: boolean } } | undefined;
    if (options?.footer?.show === false) delete options.footer;
    const custom = panel.fieldConfig?.defaults.custom as Record<string, unknown> | undefined;
    if (custom) custom.cellOptions ??= { type: 'auto' };
  }
  return dashboard;
}
