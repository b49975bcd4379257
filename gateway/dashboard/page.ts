import { renderBundlePage } from '../explorer/html';
import type { DashboardManifest } from './assets';
import { DASHBOARD_CONFIG_ID, DASHBOARD_ROOT_ID, DASHBOARD_TITLE, type DashboardPageConfig } from './config';

/** The dashboard shell: config as JSON data (not script), one external script and stylesheet. */
export function renderDashboardPage(config: DashboardPageConfig, manifest: DashboardManifest, assetsBase: string): string {
  return renderBundlePage({
    title: DASHBOARD_TITLE,
    assetsBase,
    manifest,
    configId: DASHBOARD_CONFIG_ID,
    config,
    rootId: DASHBOARD_ROOT_ID,
    rootHtml: '<noscript><p class="dash-noscript">The dashboard needs JavaScript.</p></noscript>',
  });
}
