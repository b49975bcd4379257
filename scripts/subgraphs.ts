import { CONFIG_ENV_VARS, type SubgraphName } from '../core/config';
import { ENV_VARS as GATEWAY_ENV_VARS } from '../gateway';
import { SUBGRAPHS } from '../subgraphs/registry';

/** The registry lives in subgraphs/registry.ts; re-exported for the scripts that read it here. */
export { SUBGRAPHS, type SubgraphModule } from '../subgraphs/registry';

/** Every environment variable `service` reads: loadConfig's and its own (docker-compose.yml must pass each). */
export function serviceEnvVars(service: SubgraphName | 'gateway'): string[] {
  const own = service === 'gateway' ? GATEWAY_ENV_VARS : SUBGRAPHS[service].ENV_VARS;
  return [...new Set([...CONFIG_ENV_VARS, ...own])];
}
