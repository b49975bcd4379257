import { callSubgraph } from '../../../core/internal';
import type { MessagingContext } from '../context';

export interface PackRecipients {
  /** Active owners' addresses. */
  owners: string[];
  libraries: { id: string; name: string }[];
}

/** The tenant's active owners and its libraries (tenant subgraph, with the service token of the tenant). */
export async function packRecipients(ctx: MessagingContext): Promise<PackRecipients> {
  const data = await callSubgraph<{ users: { email: string; role: string; status: string }[]; libraries: { id: string; name: string; status: string }[] }>(
    ctx,
    'tenant',
    '{ users { email role status } libraries { id name status } }',
  );
  return {
    owners: data.users.filter((u) => u.role === 'owner' && u.status === 'active').map((u) => u.email),
    libraries: data.libraries.map(({ id, name }) => ({ id, name })),
  };
}
