import { Field, Float, Int, ObjectType } from 'type-graphql';
import { LeadSource, LeadStage } from './lead.model';

@ObjectType({ description: 'Leads of the period now in one stage.' })
export class LeadStageCount {
  @Field(() => LeadStage) stage: LeadStage;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'The leads of one source in the period.' })
export class LeadSourceFunnel {
  @Field(() => LeadSource) source: LeadSource;
  @Field(() => Int) total: number;
  @Field(() => [LeadStageCount], { description: 'Every stage, in flow order (zeros included).' }) byStage: LeadStageCount[];
  @Field(() => Float, { description: 'WON / total (0 when there are none).' }) winRate: number;
}

@ObjectType({ description: 'Leads created in [from, to), by their current stage and by source.' })
export class LeadFunnel {
  @Field(() => Date) from: Date;
  @Field(() => Date) to: Date;
  @Field(() => Int) total: number;
  @Field(() => [LeadStageCount]) byStage: LeadStageCount[];
  @Field(() => [LeadStageCount], { description: 'Leads of the period that were ever in each stage (from the stage history), in flow order.' })
  reached: LeadStageCount[];
  @Field(() => [LeadSourceFunnel], { description: 'Sources with at least one lead.' }) bySource: LeadSourceFunnel[];
  @Field(() => Float, { description: 'WON / total (0 when there are none).' }) winRate: number;
}
