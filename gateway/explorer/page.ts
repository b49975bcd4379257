import type { ExplorerManifest } from './assets';
import { CONFIG_ELEMENT_ID, PAGE_TITLE, ROOT_ELEMENT_ID, type ExplorerPageConfig } from './config';
import { escapeHtml, jsonForScriptTag } from './html';

/**
 * The explorer page. The header (version, changelog link) is rendered here too,
 * so it shows even before (or without) JavaScript; the app then takes over the root.
 */
export function renderPage(config: ExplorerPageConfig, manifest: ExplorerManifest, assetsBase: string): string {
  const version = escapeHtml(config.version);
  const changelog = escapeHtml(config.changelogUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${PAGE_TITLE} (v${version})</title>
<link rel="stylesheet" href="${escapeHtml(`${assetsBase}/${manifest.css}`)}">
<script type="application/json" id="${CONFIG_ELEMENT_ID}">${jsonForScriptTag(config)}</script>
<script defer src="${escapeHtml(`${assetsBase}/${manifest.js}`)}"></script>
</head>
<body>
<div id="${ROOT_ELEMENT_ID}">
<header class="explorer-header">
<h1 class="explorer-title">${PAGE_TITLE}</h1>
<span class="explorer-version">API v${version}</span>
<a class="explorer-changelog" href="${changelog}">Changelog</a>
</header>
<noscript><p class="explorer-noscript">The explorer needs JavaScript.</p></noscript>
</div>
</body>
</html>
`;
}
