import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPublicSchema } from '../core/federation/contract';
import { composeSupergraph, printSubgraphSdls } from './schema-tools';

/** Writes schema/<name>.graphql for every subgraph and the composed schema/supergraph.graphql. */
async function main() {
  const dir = join(__dirname, '..', '..', 'schema');
  const sdls = await printSubgraphSdls();
  for (const [name, sdl] of Object.entries(sdls)) writeFileSync(join(dir, `${name}.graphql`), sdl);
  const supergraph = composeSupergraph(sdls);
  writeFileSync(join(dir, 'supergraph.graphql'), supergraph);
  writeFileSync(join(dir, 'public.graphql'), buildPublicSchema(supergraph));
  console.log(`wrote ${Object.keys(sdls).length} subgraph schemas, supergraph.graphql and public.graphql to schema/`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
