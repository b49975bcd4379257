import { chromium, type Browser, type Page, type Request } from 'playwright-core';

// Debian's chromium (.ci/run installs it); playwright-core brings no browser of its own.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium, offline apart from what the page loads (no updates, sync or QUIC probes). */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/** What a page did: errors (uncaught, console errors: CSP violations, failed loads, React) and every request. */
export interface PageWatch {
  problems: string[];
  requests: Request[];
}

export function watchPage(page: Page): PageWatch {
  const watch: PageWatch = { problems: [], requests: [] };
  page.on('pageerror', (err) => watch.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => void (msg.type() === 'error' && watch.problems.push(`console: ${msg.text()}`)));
  page.on('request', (req) => void watch.requests.push(req));
  return watch;
}
