import { existsSync, readFileSync } from 'node:fs';
import { schemaPath } from '../../core/paths';
import { escapeHtml } from './html';

export const NO_CHANGES_TEXT = 'No changes recorded yet.';

/** schema/CHANGELOG.md as an HTML page: the Markdown shown as escaped preformatted text. */
export function renderChangelog(version: string, explorerUrl: string, file = schemaPath('CHANGELOG.md')): string {
  // Read per request: the file is small and this way edits show without a restart.
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const body = text.trim() ? `<pre class="changelog">${escapeHtml(text)}</pre>` : `<p>${NO_CHANGES_TEXT}</p>`;
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>StudySpot Partner API changelog</title></head>
<body>
<h1>StudySpot Partner API changelog</h1>
<p>Current version: ${escapeHtml(version)}. <a href="${escapeHtml(explorerUrl)}">Back to the explorer</a></p>
${body}
</body>
</html>
`;
}
