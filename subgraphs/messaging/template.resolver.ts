import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { CreateTemplateInput, TemplatesArgs } from './template.input';
import { templateModel, toTemplate, type TemplateDoc } from './template.model';
import { createTemplate } from './template.service';
import { Template } from './template.type';

@Resolver(() => Template)
export class TemplateResolver {
  @Query(() => [Template], { description: 'Message templates of the caller\'s tenant, by name.' })
  async templates(@Args(() => TemplatesArgs) { channel }: TemplatesArgs, @Ctx() ctx: RequestContext) {
    const Template = templateModel(await ctx.tenantDb());
    const docs = await Template.find(channel ? { channel } : {}).sort({ name: 1 }).limit(500).lean<TemplateDoc[]>();
    return docs.map(toTemplate);
  }

  @Mutation(() => Template, { description: 'Adds a template; {#name#} placeholders become its variables.' })
  createTemplate(@Arg('input', () => CreateTemplateInput) input: CreateTemplateInput, @Ctx() ctx: RequestContext) {
    return createTemplate(ctx, input);
  }
}
