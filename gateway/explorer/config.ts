/**
 * What the gateway hands the browser app. Type-only and dependency-free so both
 * the server (gateway/explorer) and the browser bundle (explorer/) import it.
 */
export interface ExplorerPageConfig {
  /** Public API version shown in the header. */
  version: string;
  /** Link to the public schema changelog. */
  changelogUrl: string;
  /** GraphQL endpoint the fetcher posts to (same origin). */
  endpoint: string;
}

/** Shown in the page title and header. */
export const PAGE_TITLE = 'StudySpot Partner API Explorer';

/** id of the `<script type="application/json">` tag carrying the config (CSP forbids inline scripts). */
export const CONFIG_ELEMENT_ID = 'explorer-config';
/** id of the element the app mounts into. */
export const ROOT_ELEMENT_ID = 'explorer-root';
