import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES } from '../core/config';
import { buildFederatedSchema } from '../core/federation/build-subgraph';
import { SUBGRAPHS } from './subgraphs';

/** Default URLs written into the supergraph; the gateway overrides them from config. */
export const DEFAULT_SUBGRAPH_URL = (name: string, i: number) => `http://localhost:${4001 + i}/graphql`;

export async function printSubgraphSdls(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of SUBGRAPH_NAMES) {
    const mod = SUBGRAPHS[name];
    if (!mod) continue;
    out[name] = printSubgraphSchema(await buildFederatedSchema(mod.definition));
  }
  return out;
}

export function composeSupergraph(sdls: Record<string, string>): string {
  const result = composeServices(
    Object.entries(sdls).map(([name, sdl]) => ({
      name,
      typeDefs: parse(sdl),
      url: DEFAULT_SUBGRAPH_URL(name, SUBGRAPH_NAMES.indexOf(name as never)),
    })),
  );
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.supergraphSdl;
}
