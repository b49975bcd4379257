import { Kind, parseType, visit, type DocumentNode, type FieldNode, type OperationDefinitionNode, type VariableDefinitionNode } from 'graphql';
import type { SubscriptionRoute } from './routes';

const EVENT_VAR = (name: string) => `__event_${name}`;

/**
 * `subscription S($x: T) { occupancyChanged(libraryId: $x) { name occupancy { free } } }`
 * becomes
 * `query S($__event_id: ID!) { occupancyChanged: library(id: $__event_id) { name occupancy { free } } }`:
 * the same selection, fetched through the gateway for each event, with the
 * response keyed exactly like the subscription's.
 */
export function toPayloadQuery(doc: DocumentNode, op: OperationDefinitionNode, root: FieldNode, route: SubscriptionRoute): DocumentNode {
  const field: FieldNode = {
    ...root,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? root.name.value },
    name: { kind: Kind.NAME, value: route.query.field },
    arguments: Object.keys(route.query.types).map((arg) => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: arg },
      value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_VAR(arg) } },
    })),
  };
  const eventVars: VariableDefinitionNode[] = Object.entries(route.query.types).map(([arg, type]) => ({
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: EVENT_VAR(arg) } },
    type: parseType(type),
  }));
  const query: OperationDefinitionNode = {
    ...op,
    operation: 'query' as OperationDefinitionNode['operation'],
    selectionSet: { ...op.selectionSet, selections: [field] },
    variableDefinitions: [...(op.variableDefinitions ?? []), ...eventVars],
  };
  const rewritten: DocumentNode = { ...doc, definitions: doc.definitions.map((d) => (d === op ? query : d)) };
  return dropUnusedVariables(rewritten, query);
}

/** Variables only the subscription's own arguments used would fail validation as unused. */
function dropUnusedVariables(doc: DocumentNode, op: OperationDefinitionNode): DocumentNode {
  const used = new Set<string>();
  visit(doc, {
    VariableDefinition: () => false,
    Variable: (node) => void used.add(node.name.value),
  });
  return {
    ...doc,
    definitions: doc.definitions.map((d) =>
      d === op ? { ...op, variableDefinitions: op.variableDefinitions?.filter((v) => used.has(v.variable.name.value)) } : d,
    ),
  };
}

export const eventVariables = (route: SubscriptionRoute, event: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(route.query.args(event)).map(([k, v]) => [EVENT_VAR(k), v]));
