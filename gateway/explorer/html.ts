/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** JSON safe to embed in a `<script type="application/json">` (no `</script>` or `<!--` breakout). */
export function jsonForScriptTag(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Shown instead of a bundled page (explorer, dashboard) when its dist/ assets are missing (e.g. only tsc ran). */
export function renderBundleNotBuilt(title: string, what: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body><p>The ${what} bundle has not been built. Run <code>npm run build</code>.</p></body></html>
`;
}

/** What differs between the bundled pages (explorer, dashboard); the shell around it is one. */
export interface BundlePage {
  /** Already escaped. */
  title: string;
  assetsBase: string;
  manifest: { js: string; css: string };
  configId: string;
  config: unknown;
  rootId: string;
  /** Trusted HTML inside the root element, shown before (or without) JavaScript. */
  rootHtml: string;
}

/** A bundled page: config as JSON data (not script), one external script and stylesheet, no referrer. */
export function renderBundlePage(p: BundlePage): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${p.title}</title>
<link rel="stylesheet" href="${escapeHtml(`${p.assetsBase}/${p.manifest.css}`)}">
<script type="application/json" id="${p.configId}">${jsonForScriptTag(p.config)}</script>
<script defer src="${escapeHtml(`${p.assetsBase}/${p.manifest.js}`)}"></script>
</head>
<body>
<div id="${p.rootId}">
${p.rootHtml}
</div>
</body>
</html>
`;
}
