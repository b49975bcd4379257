import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { Kind, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import type { RequestContext } from '../context';
import { unauthenticated } from '../errors';
import { gatewayOnlyPubSub } from './gateway-subscription';
import type { ModuleTable } from '../permissions/modules';
import type { RuleTable } from '../permissions/rules';
import { createShield } from '../permissions/shield';

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@inaccessible", "@tag"])`;

/**
 * A `__resolveReference`. Declared as a method so a subgraph may take its own typed
 * context (`ctx: TenantContext`): the server builds every context with that subgraph's services.
 */
export type ReferenceResolver = { resolve(ref: Record<string, unknown>, ctx: RequestContext): unknown }['resolve'];

export interface SubgraphDefinition {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver and type classes as Function
  resolvers: NonEmptyArray<Function>;
  /** Entity stubs no query returns, so type-graphql still emits them. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- type-graphql takes resolver and type classes as Function
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  references?: Record<string, ReferenceResolver>;
  /** The rule for every field this subgraph serves (its `<entity>.rules.ts` files merged). */
  rules: RuleTable;
  /** The tenant module(s) its fields need (subgraphs/<name>/rules.ts; none = never blocked by a module). */
  modules?: ModuleTable;
}

/** Code-first type-graphql classes → a Federation 2 subgraph schema (no permissions yet). */
export async function buildFederatedSchema(def: SubgraphDefinition): Promise<GraphQLSchema> {
  const typeSchema = await buildSchema({
    resolvers: def.resolvers,
    orphanedTypes: def.orphanedTypes,
    skipCheck: true,
    pubSub: gatewayOnlyPubSub,
    validate: { forbidUnknownValues: false, validationError: { target: false, value: false } },
  });
  // graphql's printSchema drops directives such as @key.
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeSchema)}`);
  const resolvers = createResolversMap(typeSchema) as GraphQLResolverMap<RequestContext>;
  for (const [typeName, resolveReference] of Object.entries(def.references ?? {})) {
    const existing = (resolvers[typeName] ?? {}) as Record<string, unknown>;
    // Every entity is tenant data: no anonymous reference resolution, whatever the type's own resolver does.
    const guarded: ReferenceResolver = (ref, ctx) => {
      if (!ctx.auth) throw ctx.authError ?? unauthenticated();
      return resolveReference(ref, ctx);
    };
    resolvers[typeName] = { ...existing, __resolveReference: guarded } as never;
  }
  // An entity type without a resolver would echo any representation back as if it existed
  // (@apollo/subgraph's default): such types (`resolvable: false` keys) resolve to nothing.
  for (const typeName of entityTypeNames(typeDefs)) {
    if (def.references?.[typeName]) continue;
    resolvers[typeName] = { ...(resolvers[typeName] as object), __resolveReference: () => null } as never;
  }
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}

/** Object types carrying `@key` in a subgraph's type definitions. */
function entityTypeNames(typeDefs: DocumentNode): string[] {
  return typeDefs.definitions.flatMap((d) =>
    d.kind === Kind.OBJECT_TYPE_DEFINITION && d.directives?.some((x) => x.name.value === 'key') ? [d.name.value] : [],
  );
}

/** The schema a subgraph serves: federated schema wrapped in the shield built from its rules. */
export async function buildProtectedSubgraph(def: SubgraphDefinition): Promise<{ schema: GraphQLSchema; sdlSchema: GraphQLSchema }> {
  const sdlSchema = await buildFederatedSchema(def);
  return { schema: applyMiddleware(sdlSchema, createShield(sdlSchema, def.rules, def.modules)), sdlSchema };
}
