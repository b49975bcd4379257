import type { MessagingContext } from './context';
import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { CreateTemplateInput, RejectTemplateArgs, TemplatesArgs } from './template.input';
import { approveTemplate, rejectTemplate } from './template-review.service';
import { createTemplate, listTemplates } from './template.service';
import { Template } from './template.type';

@Resolver(() => Template)
export class TemplateResolver {
  @Query(() => [Template], { description: "Message templates of the caller's tenant, by name." })
  templates(@Args(() => TemplatesArgs) { channel }: TemplatesArgs, @Ctx() ctx: MessagingContext) {
    return listTemplates(ctx, channel);
  }

  @Mutation(() => Template, { description: 'Adds a template; {#name#} placeholders become its variables.' })
  createTemplate(@Arg('input', () => CreateTemplateInput) input: CreateTemplateInput, @Ctx() ctx: MessagingContext) {
    return createTemplate(ctx, input);
  }

  @Mutation(() => Template, { description: 'Records that the DLT operator approved a PENDING template.' })
  approveTemplate(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return approveTemplate(ctx, id);
  }

  @Mutation(() => Template, { description: 'Records that the DLT operator rejected (or withdrew) a template.' })
  rejectTemplate(@Args(() => RejectTemplateArgs) { id, reason }: RejectTemplateArgs, @Ctx() ctx: MessagingContext) {
    return rejectTemplate(ctx, id, reason);
  }
}
