import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NO_CHANGES_TEXT, renderChangelog } from '../gateway/explorer/changelog';
import { CONFIG_ELEMENT_ID } from '../gateway/explorer/config';
import { jsonForScriptTag } from '../gateway/explorer/html';
import { renderPage } from '../gateway/explorer/page';

const dir = mkdtempSync(join(tmpdir(), 'explorer-page-'));
const manifest = { js: 'explorer-A.js', css: 'explorer-B.css', files: ['explorer-A.js', 'explorer-B.css'] };

describe('explorer page rendering (no server)', () => {
  it('says so when schema/CHANGELOG.md is missing', () => {
    expect(renderChangelog('1.0.0', '/explorer', join(dir, 'missing.md'))).toContain(NO_CHANGES_TEXT);
  });

  it('shows the changelog as escaped preformatted text', () => {
    const file = join(dir, 'CHANGELOG.md');
    writeFileSync(file, '# 1.0.0\n- added `libraries` <script>alert(1)</script> & more\n');
    const html = renderChangelog('1.0.0', '/explorer', file);
    expect(html).toContain('<pre class="changelog"># 1.0.0\n- added `libraries` &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
    expect(html).not.toContain('<script>');
  });

  it('embeds the config as JSON that cannot close its script tag', () => {
    const config = { version: '1.0.0</script><script>x()</script>', changelogUrl: '/c', endpoint: '/partner/graphql' };
    const html = renderPage(config, manifest, '/explorer/assets');
    const json = html.match(new RegExp(`<script type="application/json" id="${CONFIG_ELEMENT_ID}">(.*?)</script>`))![1];
    expect(JSON.parse(json)).toEqual(config);
    expect(html).not.toContain('<script>x()');
    expect(html).toContain('src="/explorer/assets/explorer-A.js"');
    expect(jsonForScriptTag('<!--\u2028')).toBe('"\\u003c!--\\u2028"');
  });
});
