import { GraphiQL } from 'graphiql';
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { PAGE_TITLE, type ExplorerPageConfig } from '../gateway/explorer/config';
import { loadApiKey, saveApiKey } from './api-key';
import { EXAMPLE_TABS } from './examples';
import { createFetcher } from './fetcher';

/** Wait this long after the last keystroke before introspecting with the new key. */
const REINTROSPECT_DELAY_MS = 400;

export interface AppProps {
  config: ExplorerPageConfig;
}

export function App({ config }: AppProps): JSX.Element {
  const [apiKey, setApiKey] = useState<string>(loadApiKey);
  const keyRef = useRef<string>(apiKey);
  // The key the schema was last introspected with (the public schema needs a valid key).
  const [schemaKey, setSchemaKey] = useState<string>(apiKey);

  useEffect(() => {
    const timer = setTimeout(() => setSchemaKey(apiKey), REINTROSPECT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [apiKey]);

  // A new fetcher makes GraphiQL introspect again (Docs pane); it always reads the current key.
  const fetcher = useMemo(() => createFetcher(config.endpoint, () => keyRef.current), [config.endpoint, schemaKey]);

  const onKeyChange = (event: ChangeEvent<HTMLInputElement>): void => {
    keyRef.current = event.target.value;
    setApiKey(event.target.value);
    saveApiKey(event.target.value);
  };

  return (
    <>
      <header className="explorer-header">
        <h1 className="explorer-title">{PAGE_TITLE}</h1>
        <span className="explorer-version" data-testid="api-version">
          API v{config.version}
        </span>
        <a className="explorer-changelog" href={config.changelogUrl} target="_blank" rel="noopener noreferrer">
          Changelog
        </a>
        <label className="explorer-key" title="Kept in this browser tab only; sent as the x-api-key header.">
          API key
          <input
            type="password"
            name="api-key"
            autoComplete="off"
            spellCheck={false}
            placeholder="Paste your partner API key"
            value={apiKey}
            onChange={onKeyChange}
          />
        </label>
      </header>
      <main className="explorer-main">
        {/* Credentials belong in the key field only, so GraphiQL's headers editor is off. */}
        <GraphiQL fetcher={fetcher} defaultTabs={EXAMPLE_TABS} isHeadersEditorEnabled={false} shouldPersistHeaders={false}>
          <GraphiQL.Logo>StudySpot</GraphiQL.Logo>
        </GraphiQL>
      </main>
    </>
  );
}
