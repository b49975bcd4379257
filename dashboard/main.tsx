// Browser entry point, bundled by scripts/build-dashboard.ts (esbuild) into dist/dashboard-assets.
import './dashboard.css';
import { createRoot } from 'react-dom/client';
import { DASHBOARD_CONFIG_ID, DASHBOARD_ROOT_ID, type DashboardPageConfig } from '../gateway/dashboard/config';
import { App } from './app';

/** The gateway puts the config in a JSON script tag: data the CSP lets us read, not inline script. */
function readConfig(): DashboardPageConfig {
  const text = document.getElementById(DASHBOARD_CONFIG_ID)?.textContent;
  if (!text) throw new Error(`#${DASHBOARD_CONFIG_ID} missing`);
  return JSON.parse(text) as DashboardPageConfig;
}

const root = document.getElementById(DASHBOARD_ROOT_ID);
if (!root) throw new Error(`#${DASHBOARD_ROOT_ID} missing`);
createRoot(root).render(<App config={readConfig()} />);
