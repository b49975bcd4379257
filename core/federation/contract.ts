import { MapperKind, mapSchema, pruneSchema, getDirective } from '@graphql-tools/utils';
import { buildASTSchema, isObjectType, parse, printSchema, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';

/** Marks a type or field as part of the public (partner) contract. */
export const PUBLIC_TAG = '@tag(name: "public")';

const ROOTS = new Set(['Query', 'Mutation', 'Subscription']);

const tagged = (schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]) => (getDirective(schema, node, 'tag') ?? []).some((t) => t.name === 'public');

/**
 * The partner contract, like an Apollo contract with `include: ["public"]`: a
 * root field is public only if tagged; any other field if it or its type is
 * tagged; @inaccessible never. Types nothing public reaches are pruned, and
 * federation's own directives and types are gone from the printed schema.
 */
export function buildPublicSchema(supergraphSdl: string): string {
  const supergraph = buildASTSchema(parse(supergraphSdl), { assumeValid: true, assumeValidSDL: true });
  const keep = (field: GraphQLFieldConfig<unknown, unknown>, typeName: string): boolean => {
    if (getDirective(supergraph, field, 'inaccessible')?.length) return false;
    if (tagged(supergraph, field)) return true;
    const type = supergraph.getType(typeName);
    return !ROOTS.has(typeName) && !!type && isObjectType(type) && tagged(supergraph, type);
  };
  const filtered = mapSchema(supergraph, {
    [MapperKind.OBJECT_FIELD]: (field, _name, typeName) => (keep(field, typeName) ? field : null),
  });
  const clean = new Set([
    'link__Import',
    'link__Purpose',
    'join__Graph',
    'join__FieldSet',
    'join__DirectiveArguments',
    'join__ContextArgument',
    'join__FieldValue',
  ]);
  const noFederation = mapSchema(filtered, {
    [MapperKind.TYPE]: (type) => (clean.has(type.name) ? null : type),
    [MapperKind.DIRECTIVE]: () => null,
  });
  return `${printSchema(pruneSchema(noFederation))}\n`;
}
