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

/** Builds the dashboard and numbers its rows and panels top to bottom: Grafana needs an id on each. */
export function buildNumbered(builder: DashboardBuilder): Dashboard {
  const dashboard = builder.build();
  dashboard.panels?.forEach((panel, index) => {
    panel.id = index + 1;
  });
  return dashboard;
}
