import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../core/paths';
import { launchChromium, watchPage } from './helpers/browser';
import { PUBLIC_API_VERSION } from '../gateway';
import type { ExplorerManifest } from '../gateway/explorer/assets';
import { ensureExplorerBundle } from '../scripts/build-explorer';
import { sharedSystem, type SharedSystem } from './helpers/shared-system';

const SCREENSHOT = join(projectRoot(), 'test-artifacts', 'explorer.png');

let sys: SharedSystem;
let browser: Browser;
let manifest: ExplorerManifest;
let explorerUrl: string;
let origin: string;
let apiKey: string;

beforeAll(async () => {
  // Tests run from a fresh clone where only `npm ci` ran: build the bundle if missing or stale.
  manifest = await ensureExplorerBundle();
  sys = await sharedSystem();
  explorerUrl = sys.gatewayUrl.replace('/graphql', '/explorer');
  origin = new URL(explorerUrl).origin;
  const t = await sys.createTenant('explorer');
  await sys.ok(`mutation { createLibrary(input: { name: "Reading Room", city: "Pune", capacity: 30 }) { id } }`, {}, { token: t.ownerToken });
  const created = await sys.ok(
    `mutation { createApiKey(input: { name: "explorer test", scopes: ["libraries:read", "attendance:read"] }) { key apiKey { id } } }`,
    {},
    { token: t.ownerToken },
  );
  apiKey = created.createApiKey.key;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await sys?.stop();
});

describe('explorer over HTTP', () => {
  it('serves the page with a strict CSP and no inline script', async () => {
    const res = await fetch(explorerUrl);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await res.text();
    // Every script is either external ('self') or JSON data, which CSP does not execute.
    for (const tag of html.match(/<script[^>]*>/g) ?? []) expect(tag).toMatch(/ src="|type="application\/json"/);
    expect(html).toContain(`v${PUBLIC_API_VERSION}`);
    expect(html).toContain('href="/explorer/changelog"');
    expect(html).not.toMatch(/https?:\/\//); // no CDN
  });

  it('serves bundle files with long cache headers and nothing else', async () => {
    const js = await fetch(`${explorerUrl}/assets/${manifest.js}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect(js.headers.get('content-encoding')).toBe('gzip'); // the build's precompressed twin
    expect((await js.text()).length).toBeGreaterThan(100_000);
    for (const path of ['manifest.json', '..%2F..%2Fpackage.json', 'nope.js']) {
      expect((await fetch(`${explorerUrl}/assets/${path}`)).status).toBe(404);
    }
  });

  it('renders the changelog page', async () => {
    const res = await fetch(`${explorerUrl}/changelog`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/No changes recorded yet|<pre class="changelog">/);
  });
});

describe('explorer in headless Chromium', () => {
  it('shows GraphiQL, runs a query with the key from the header field, and fills the Docs pane', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 850 } });
    const { problems, requests } = watchPage(page);

    await page.goto(explorerUrl);
    await page.locator('.graphiql-container').waitFor();
    await expect(page.title()).resolves.toContain(`v${PUBLIC_API_VERSION}`);
    await expect(page.locator('.explorer-version').textContent()).resolves.toBe(`API v${PUBLIC_API_VERSION}`);
    await expect(page.locator('a.explorer-changelog').getAttribute('href')).resolves.toBe('/explorer/changelog');
    await expect(page.locator('.graphiql-tab').count()).resolves.toBe(3); // the example operations
    // Introspection without a key is answered by the page itself, pointing at the field.
    await page.locator('.result-window', { hasText: 'Enter your partner API key' }).waitFor();

    await page.getByLabel('API key').fill(apiKey);
    await page.locator('.graphiql-execute-button').click();
    await page.locator('.result-window', { hasText: 'Reading Room' }).waitFor({ timeout: 15_000 });
    await expect(page.locator('.result-window').innerText()).resolves.toContain('"occupancy"');

    // The Docs pane comes from introspecting the partner endpoint (the public schema).
    await page.getByLabel('Show Documentation Explorer').click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'Query' }).waitFor();
    await page.locator('.graphiql-doc-explorer a', { hasText: 'Query' }).first().click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'libraries' }).waitFor();
    expect(await page.locator('.graphiql-doc-explorer').innerText()).not.toContain('createApiKey');

    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // Offline: nothing but our own origin. The key goes only in the header, never in a URL.
    for (const req of requests) {
      expect(new URL(req.url()).origin).toBe(origin);
      expect(req.url()).not.toContain(apiKey);
    }
    const graphql = requests.filter((r) => r.url().endsWith('/partner/graphql'));
    expect(graphql.length).toBeGreaterThan(0);
    expect(graphql.at(-1)!.headers()['x-api-key']).toBe(apiKey);
    // Kept for this tab only (the root tsconfig has no DOM lib, hence the string expressions).
    expect(await page.evaluate('sessionStorage.getItem("studyspot.explorer.apiKey")')).toBe(apiKey);
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain(apiKey);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
