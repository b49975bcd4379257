import { Arg, Args, Ctx, Directive, Mutation, Query, Resolver } from 'type-graphql';
import { PAGE_MAX, pageSize } from '../../core/pagination';
import type { TenantContext } from './context';
import { RegisterTrustedDocumentsInput, TrustedDocumentHashArgs, TrustedDocumentPageArgs } from './trusted-document.input';
import { listTrustedDocuments, registerTrustedDocuments, removeTrustedDocument, trustedDocumentSource } from './trusted-document.service';
import { TrustedDocument } from './trusted-document.type';

@Resolver(() => TrustedDocument)
export class TrustedDocumentResolver {
  @Query(() => [TrustedDocument], { description: "Operations registered for the tenant's partner keys, newest first." })
  trustedDocuments(@Args() { first }: TrustedDocumentPageArgs, @Ctx() ctx: TenantContext) {
    return listTrustedDocuments(ctx, pageSize(first, PAGE_MAX));
  }

  @Mutation(() => [TrustedDocument], {
    description: 'Registers operations that partner keys in trusted-documents mode may run (all or nothing; registering one again is a no-op).',
  })
  registerTrustedDocuments(@Arg('input', () => RegisterTrustedDocumentsInput) input: RegisterTrustedDocumentsInput, @Ctx() ctx: TenantContext) {
    return registerTrustedDocuments(ctx, input);
  }

  @Mutation(() => TrustedDocument, { description: 'Unregisters an operation: partner keys in trusted-documents mode can no longer run it.' })
  removeTrustedDocument(@Args() { sha256Hash }: TrustedDocumentHashArgs, @Ctx() ctx: TenantContext) {
    return removeTrustedDocument(ctx, sha256Hash);
  }

  @Directive('@inaccessible')
  @Query(() => String, { nullable: true, description: "Internal: the gateway's partner endpoint looks up a registered document by its hash." })
  trustedDocumentSource(@Arg('sha256Hash', () => String) sha256Hash: string, @Ctx() ctx: TenantContext) {
    return trustedDocumentSource(ctx, sha256Hash);
  }
}
