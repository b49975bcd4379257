import { escapeHtml, jsonForScriptTag } from '../explorer/html';
import type { DashboardManifest } from './assets';
import { DASHBOARD_CONFIG_ID, DASHBOARD_ROOT_ID, DASHBOARD_TITLE, type DashboardPageConfig } from './config';

/** The dashboard shell: config as JSON data (not script), one external script and stylesheet. */
export function renderDashboardPage(config: DashboardPageConfig, manifest: DashboardManifest, assetsBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${DASHBOARD_TITLE}</title>
<link rel="stylesheet" href="${escapeHtml(`${assetsBase}/${manifest.css}`)}">
<script type="application/json" id="${DASHBOARD_CONFIG_ID}">${jsonForScriptTag(config)}</script>
<script defer src="${escapeHtml(`${assetsBase}/${manifest.js}`)}"></script>
</head>
<body>
<div id="${DASHBOARD_ROOT_ID}">
<noscript><p class="dash-noscript">The dashboard needs JavaScript.</p></noscript>
</div>
</body>
</html>
`;
}
