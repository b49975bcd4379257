/**
 * What the gateway hands the dashboard app. Type-only and dependency-free so both
 * the server (gateway/dashboard) and the browser bundle (dashboard/) import it.
 */
export interface DashboardPageConfig {
  /** GraphQL endpoint for HTTP (same origin); subscriptions use the same path over WebSocket. */
  endpoint: string;
}

/** Shown in the page title and header. */
export const DASHBOARD_TITLE = 'StudySpot Live';

/** id of the `<script type="application/json">` tag carrying the config (CSP forbids inline scripts). */
export const DASHBOARD_CONFIG_ID = 'dashboard-config';
/** id of the element the app mounts into. */
export const DASHBOARD_ROOT_ID = 'dashboard-root';
