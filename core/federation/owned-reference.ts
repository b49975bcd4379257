import DataLoader from 'dataloader';
import type { SubgraphName } from '../config';
import type { RequestContext } from '../context';
import { tryParseId } from '../ids';
import { fetchEntities } from '../internal';

/**
 * Which ids of an entity another subgraph owns exist for the caller: one `_entities`
 * call to the owner per request and type (with the caller's token, so the owner
 * applies tenant, branch and permission checks), however many references arrive.
 */
const existsLoader = (ctx: RequestContext, owner: SubgraphName, typename: string) =>
  ctx.memo(
    `federation.exists.${owner}.${typename}`,
    () =>
      new DataLoader<string, boolean>(async (ids) => {
        const found = await fetchEntities<{ id: string } | null>(ctx, owner, typename, [...ids], 'id');
        return ids.map((_, i) => found[i] != null);
      }),
  );

/**
 * `__resolveReference` of a type this subgraph only extends: a stub `{ id }` when the
 * owning subgraph knows the id in the caller's tenant, otherwise null — never an
 * entity made up from the representation (a foreign or unknown id must answer null).
 */
export async function ownedReference(ref: Record<string, unknown>, ctx: RequestContext, owner: SubgraphName, typename: string): Promise<{ id: string } | null> {
  if (!tryParseId(ref.id)) return null;
  const id = ref.id as string;
  return (await existsLoader(ctx, owner, typename).load(id)) ? { id } : null;
}
