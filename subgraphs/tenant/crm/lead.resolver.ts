import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { pageSize } from '../../../core/pagination';
import type { TenantContext } from '../context';
import {
  AddLeadNoteArgs,
  CreateLeadInput,
  LEAD_BOARD_DEFAULT,
  LeadBoardArgs,
  LeadFilter,
  LeadPageArgs,
  MoveLeadStageInput,
  UpdateLeadInput,
} from './lead.input';
import { addLeadNote, assignLead, createLead, getLead, leadBoard, leadNotes, listLeads, moveLeadStage, updateLead, type LeadView } from './lead.service';
import { Lead, LeadBoardColumn, LeadNote, LeadPage, LeadStageMove } from './lead.type';
import { stageHistory } from './lead-history.service';
import { Tenant } from '../tenant.type';
import { tenantOfLead } from './lead-conversion.service';
import { LeadTask } from './lead-task.type';
import { tasksOfLead } from './lead-task.service';

@Resolver(() => Lead)
export class LeadResolver {
  @Query(() => LeadPage, { description: "Leads of the platform's sales desk, newest first. Page with `after` (nextCursor)." })
  leads(
    @Arg('filter', () => LeadFilter, { nullable: true }) filter: LeadFilter | undefined,
    @Args() { first, after }: LeadPageArgs,
    @Ctx() ctx: TenantContext,
  ) {
    return listLeads(ctx, filter ?? undefined, after ?? undefined, pageSize(first));
  }

  @Query(() => Lead, { nullable: true })
  lead(@Arg('id', () => ID) id: string, @Ctx() ctx: TenantContext) {
    return getLead(ctx, id);
  }

  @Query(() => [LeadBoardColumn], { description: 'The sales kanban: per stage, the count and the newest leads.' })
  leadBoard(@Arg('filter', () => LeadFilter, { nullable: true }) filter: LeadFilter | undefined, @Args() { first }: LeadBoardArgs, @Ctx() ctx: TenantContext) {
    return leadBoard(ctx, filter ?? undefined, pageSize(first, LEAD_BOARD_DEFAULT));
  }

  @Mutation(() => Lead)
  createLead(@Arg('input', () => CreateLeadInput) input: CreateLeadInput, @Ctx() ctx: TenantContext) {
    return createLead(ctx, input);
  }

  @Mutation(() => Lead)
  updateLead(@Arg('input', () => UpdateLeadInput) input: UpdateLeadInput, @Ctx() ctx: TenantContext) {
    return updateLead(ctx, input);
  }

  @Mutation(() => Lead, { description: 'One step of the stage flow; a lost race is CONFLICT.' })
  moveLeadStage(@Arg('input', () => MoveLeadStageInput) input: MoveLeadStageInput, @Ctx() ctx: TenantContext) {
    return moveLeadStage(ctx, input);
  }

  @Mutation(() => Lead, { description: 'Gives the lead to an active platform user.' })
  assignLead(@Arg('id', () => ID) id: string, @Arg('ownerId', () => ID) ownerId: string, @Ctx() ctx: TenantContext) {
    return assignLead(ctx, id, ownerId);
  }

  @Mutation(() => Lead, { description: 'Appends a note (notes are never edited or removed).' })
  addLeadNote(@Args() { id, text }: AddLeadNoteArgs, @Ctx() ctx: TenantContext) {
    return addLeadNote(ctx, id, text);
  }

  @FieldResolver(() => [LeadNote], { description: 'Oldest first.' })
  notes(@Root() lead: LeadView, @Ctx() ctx: TenantContext) {
    return leadNotes(ctx, lead.id);
  }

  @FieldResolver(() => [LeadTask], { description: 'Follow-up tasks, by due date.' })
  tasks(@Root() lead: LeadView, @Ctx() ctx: TenantContext) {
    return tasksOfLead(ctx, lead.id);
  }

  @FieldResolver(() => [LeadStageMove], { description: 'Every stage move, oldest first.' })
  stageHistory(@Root() lead: LeadView, @Ctx() ctx: TenantContext) {
    return stageHistory(ctx, lead);
  }

  @FieldResolver(() => Tenant, { nullable: true, description: 'The tenant the lead became (null until converted).' })
  tenant(@Root() lead: LeadView, @Ctx() ctx: TenantContext) {
    return tenantOfLead(ctx, lead.tenantId);
  }
}
