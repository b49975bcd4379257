import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { CreditsContext } from './context';
import { tenantRefLoader } from './tenant.loader';
import { Tenant } from './tenant.type';
import { requestWallet } from './wallet.service';
import { Wallet } from './wallet.type';

@Resolver(() => Tenant)
export class TenantWalletResolver {
  @FieldResolver(() => Wallet, { description: "The tenant's messaging credits." })
  wallet(@Root() tenant: Tenant, @Ctx() ctx: CreditsContext) {
    return requestWallet(ctx, { id: tenant.id, dbName: tenant.dbName });
  }
}

/** A foreign tenant (for a tenant user), an unknown or malformed id resolves to null. */
export const resolveTenantReference = (ref: Record<string, unknown>, ctx: CreditsContext) =>
  typeof ref.id === 'string' ? tenantRefLoader(ctx).load(ref.id) : null;
