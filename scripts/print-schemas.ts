import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeSupergraph, printSubgraphSdls } from './schema-tools';

/** Writes schema/<name>.graphql for every subgraph and the composed schema/supergraph.graphql. */
async function main() {
  const dir = join(__dirname, '..', '..', 'schema');
  const sdls = await printSubgraphSdls();
  for (const [name, sdl] of Object.entries(sdls)) writeFileSync(join(dir, `${name}.graphql`), sdl);
  writeFileSync(join(dir, 'supergraph.graphql'), composeSupergraph(sdls));
  console.log(`wrote ${Object.keys(sdls).length} subgraph schemas and supergraph.graphql to schema/`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
