import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFederatedSchema } from '../core/federation/build-subgraph';
import { projectRoot, schemaPath } from '../core/paths';
import { buildRuleTree } from '../core/permissions/shield';
import { composeSupergraph, printSubgraphSdls } from '../scripts/schema-tools';
import { renderPermissionsDoc } from '../scripts/permissions-doc';
import { SUBGRAPHS } from '../scripts/subgraphs';

describe('checked-in schema', () => {
  let sdls: Record<string, string>;
  beforeAll(async () => {
    sdls = await printSubgraphSdls();
  });

  it('has all five subgraphs', () => {
    expect(Object.keys(sdls).sort()).toEqual(['billing', 'credits', 'messaging', 'student', 'tenant']);
  });

  it('schema/<name>.graphql matches each subgraph (run `npm run schema:print`)', () => {
    for (const [name, sdl] of Object.entries(sdls)) {
      expect({ name, sdl: readFileSync(schemaPath(`${name}.graphql`), 'utf8') }).toEqual({ name, sdl });
    }
  });

  it('schema/supergraph.graphql is the composition of the subgraphs', () => {
    expect(readFileSync(schemaPath('supergraph.graphql'), 'utf8')).toBe(composeSupergraph(sdls));
  });
});

describe('permission catalog', () => {
  it('has a rule for every field of every subgraph (nothing relies on the deny fallback by accident)', async () => {
    for (const [name, mod] of Object.entries(SUBGRAPHS)) {
      const { missing, unknown } = buildRuleTree(await buildFederatedSchema(mod!.definition), mod!.definition.rules);
      expect({ name, missing, unknown }).toEqual({ name, missing: [], unknown: [] });
    }
  });
});

describe('docs/permissions.md', () => {
  it('is generated from the current catalog (run `npm run docs:permissions`)', () => {
    expect(readFileSync(join(projectRoot(), 'docs', 'permissions.md'), 'utf8')).toBe(renderPermissionsDoc());
  });
});
