import type { ExplorerManifest } from './assets';
import { CONFIG_ELEMENT_ID, PAGE_TITLE, ROOT_ELEMENT_ID, type ExplorerPageConfig } from './config';
import { escapeHtml, renderBundlePage } from './html';

/**
 * The explorer page. The header (version, changelog link) is rendered here too,
 * so it shows even before (or without) JavaScript; the app then takes over the root.
 */
export function renderPage(config: ExplorerPageConfig, manifest: ExplorerManifest, assetsBase: string): string {
  const version = escapeHtml(config.version);
  const changelog = escapeHtml(config.changelogUrl);
  return renderBundlePage({
    title: `${PAGE_TITLE} (v${version})`,
    assetsBase,
    manifest,
    configId: CONFIG_ELEMENT_ID,
    config,
    rootId: ROOT_ELEMENT_ID,
    rootHtml: `<header class="explorer-header">
<h1 class="explorer-title">${PAGE_TITLE}</h1>
<span class="explorer-version">API v${version}</span>
<a class="explorer-changelog" href="${changelog}">Changelog</a>
</header>
<noscript><p class="explorer-noscript">The explorer needs JavaScript.</p></noscript>`,
  });
}
