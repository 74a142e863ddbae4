import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  type Dashboard,
} from '@grafana/grafana-foundation-sdk/dashboard';

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
 * too: Grafana needs an id on each.
 */
export function buildNumbered(builder: DashboardBuilder): Dashboard {
  const dashboard = builder.build();
  let id = 0;
  for (const panel of dashboard.panels ?? []) {
    panel.id = ++id;
    if ('panels' in panel) for (const inner of panel.panels) inner.id = ++id;
  }
  return dashboard;
}
