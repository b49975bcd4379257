// Browser entry point, bundled by scripts/build-explorer.ts (esbuild) into dist/explorer-assets.
import 'graphiql/graphiql.css';
import './explorer.css';
import { createRoot } from 'react-dom/client';
import { CONFIG_ELEMENT_ID, ROOT_ELEMENT_ID, type ExplorerPageConfig } from '../gateway/explorer/config';
import { App } from './app';

/** The gateway puts the config in a JSON script tag: data the CSP lets us read, not inline script. */
function readConfig(): ExplorerPageConfig {
  const text = document.getElementById(CONFIG_ELEMENT_ID)?.textContent;
  if (!text) throw new Error(`#${CONFIG_ELEMENT_ID} missing`);
  return JSON.parse(text) as ExplorerPageConfig;
}

const root = document.getElementById(ROOT_ELEMENT_ID);
if (!root) throw new Error(`#${ROOT_ELEMENT_ID} missing`);
// Replaces the server-rendered header with the interactive one.
createRoot(root).render(<App config={readConfig()} />);
