import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { ERROR_CATALOG, type ErrorCode } from '../../core/errors';
import { parseOperation } from '../use-operation-limits';

const coded = (err: GraphQLError, code: ErrorCode, message = err.message, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { nodes: err.nodes, source: err.source, positions: err.positions, extensions: { code, errorCode: ERROR_CATALOG[code], ...extra } });

/** graphql-js's field suggestions; not part of the partner contract (nor of /graphql in production). */
export const withoutSuggestions = (message: string) => message.replace(/ Did you mean .*$/, '');

/**
 * Why no operation can be chosen from the document (several operations and no
 * operationName, or an unknown one), worded as graphql-js does; null when one can.
 */
export function operationNameError(document: DocumentNode, operationName?: string | null): GraphQLError | null {
  if (getOperationAST(document, operationName)) return null;
  const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
  const message = operationName
    ? `Unknown operation named "${operationName}".`
    : count
      ? 'Must provide operation name if query contains multiple operations.'
      : 'Must provide an operation.';
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', errorCode: ERROR_CATALOG.BAD_USER_INPUT, field: 'operationName' } });
}

export interface OperationRequest {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/**
 * The request errors of GraphQL over HTTP, in the spec's order, each with a code:
 * parse (GRAPHQL_PARSE_FAILED, or QUERY_TOO_LARGE), validation against `schema`
 * with the operation limits (GRAPHQL_VALIDATION_FAILED or the limit's code),
 * the operation to run and the variables' values (BAD_USER_INPUT).
 * Returns the parsed operation, or the errors: then nothing may run.
 */
export function admitOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  req: OperationRequest,
  hideSuggestions: boolean,
): { document: DocumentNode; operation: OperationDefinitionNode } | GraphQLError[] {
  let document: DocumentNode;
  try {
    document = parseOperation(req.query);
  } catch (err) {
    return [err as GraphQLError];
  }
  const invalid = validate(schema, document, [...specifiedRules, ...rules]);
  if (invalid.length) {
    return invalid.map((e) =>
      typeof e.extensions.code === 'string' ? e : coded(e, 'GRAPHQL_VALIDATION_FAILED', hideSuggestions ? withoutSuggestions(e.message) : e.message),
    );
  }
  const operation = getOperationAST(document, req.operationName);
  if (!operation) return [operationNameError(document, req.operationName)!];
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], req.variables ?? {});
  if (coerced.errors) return coerced.errors.map((e) => coded(e, 'BAD_USER_INPUT', e.message, { field: 'variables' }));
  return { document, operation };
}
