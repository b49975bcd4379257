/** What `npm start` tells a newcomer once everything is up (scripts/start-all.ts). */
export interface StartInfo {
  env: string;
  /** The gateway's /graphql, e.g. http://localhost:4000/graphql. */
  apiUrl: string;
  /** Prometheus scrape URL per service (gateway first). */
  metrics: { service: string; url: string }[];
  adminEmail: string;
  password: string;
  /** Demo tenant slugs created by this run (their owners use `password`). */
  seeded: string[];
  /** Demo tenants that already existed (keep the password of the run that created them). */
  existing: string[];
  mongodbUri: string;
  /** The URI is an embedded MongoDB that disappears when npm start stops. */
  embedded: boolean;
  dbPrefix: string;
  /** Where service logs go; undefined = this terminal. */
  logFile?: string;
}

/** Hides a password inside a MongoDB URI (a URI from the environment is the operator's own). */
export function redactUri(uri: string): string {
  return uri.replace(/^(mongodb(?:\+srv)?:\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

/** The one block printed last by `npm start`: URLs, logins, the database URI for the CLI, logs. */
export function renderStartBlock(i: StartInfo): string {
  const base = i.apiUrl.replace(/\/graphql$/, '');
  const uri = i.embedded ? i.mongodbUri : redactUri(i.mongodbUri);
  const prefix = i.dbPrefix === 'ss_' ? '' : ` DB_PREFIX=${i.dbPrefix}`;
  const [gatewayMetrics, ...subgraphMetrics] = i.metrics;
  const lines = [
    `StudySpot Graph is running (${i.env})`,
    '',
    `  API (GraphQL)   ${i.apiUrl}`,
    `  Explorer        ${base}/explorer`,
    `  Dashboard       ${base}/dashboard   (tenant slug + owner login)`,
    ...(gatewayMetrics ? [`  Metrics         ${gatewayMetrics.url}   (gateway)`] : []),
    ...(subgraphMetrics.length
      ? [
          `                  ${subgraphMetrics.map((m) => `${m.service} ${m.url.replace(/^http:\/\/localhost/, '').replace(/\/metrics$/, '')}`).join(', ')}   (same path)`,
        ]
      : []),
    '',
    `  Platform admin  ${i.adminEmail}   password: ${i.password}`,
    ...(i.seeded.length ? [`  Demo owners     ${i.seeded.map((s) => `owner@${s}.demo (tenant ${s})`).join(', ')}   same password`] : []),
    ...(i.existing.length ? [`  Earlier demo    ${i.existing.join(', ')}: owners keep the password of the run that created them`] : []),
    '',
    `  Database        ${uri}${i.embedded ? '   (embedded: gone when this stops)' : ''}`,
    `  CLI             MONGODB_URI=${uri}${prefix} npx studyspot tenant list`,
    `  Logs            ${i.logFile ? `${i.logFile}   (read: npx pino-pretty < ${i.logFile})` : 'this terminal'}`,
    '  Stop            Ctrl+C',
  ];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const rule = '='.repeat(Math.min(width, 100));
  return ['', rule, ...lines, rule, ''].join('\n');
}
