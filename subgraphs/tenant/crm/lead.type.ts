import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LeadSource, LeadStage } from './lead.model';

registerEnumType(LeadSource, { name: 'LeadSource', description: 'Where a sales lead came from.' });
registerEnumType(LeadStage, {
  name: 'LeadStage',
  description: 'NEW → CONTACTED → DEMO → TRIAL → WON; LOST from any open stage (with a reason); LOST → NEW reopens.',
});

@ObjectType({ description: 'A note on a lead (append-only).' })
export class LeadNote {
  @Field(() => Date) at: Date;
  @Field(() => ID, { description: 'The platform user who wrote it.' }) by: string;
  @Field(() => String) text: string;
}

@ObjectType({ description: 'One stage move of a lead.' })
export class LeadStageMove {
  @Field(() => LeadStage) from: LeadStage;
  @Field(() => LeadStage) to: LeadStage;
  @Field(() => ID, { nullable: true, description: 'The platform user who moved it.' }) by?: string | null;
  @Field(() => Date) at: Date;
}

@ObjectType({ description: "A prospect of the platform's sales desk (platform staff only)." })
export class Lead {
  @Field(() => ID) id: string;
  @Field(() => LeadSource) source: LeadSource;
  @Field(() => String) contactName: string;
  @Field(() => String) phone: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String) city: string;
  @Field(() => String) businessName: string;
  @Field(() => Int, { description: 'Number of libraries the business runs.' }) libraries: number;
  @Field(() => Int) expectedSeats: number;
  @Field(() => LeadStage) stage: LeadStage;
  @Field(() => String, { nullable: true, description: 'Why the lead was lost (LOST only).' }) lostReason?: string | null;
  @Field(() => ID, { description: 'The platform user who owns the lead.' }) ownerId: string;
  @Field(() => Date, { nullable: true, description: 'When the lead entered its current stage (null: never moved).' }) stageChangedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'Who made the last stage move.' }) stageChangedBy?: string | null;
  @Field(() => ID, { nullable: true, description: 'The tenant the lead became (convertLead).' }) tenantId?: string | null;
  @Field(() => Date, { nullable: true }) convertedAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'The platform user who converted it.' }) convertedBy?: string | null;
  @Field(() => String, { description: 'Pass as `after` for the next (older) page.' }) cursor: string;
  @Field(() => Date) createdAt: Date;
  @Field(() => Date) updatedAt: Date;
}

@ObjectType({ description: 'One page of leads, newest first.' })
export class LeadPage {
  @Field(() => [Lead]) leads: Lead[];
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null on the last page.' }) nextCursor?: string | null;
}

@ObjectType({ description: 'One column of the sales kanban.' })
export class LeadBoardColumn {
  @Field(() => LeadStage) stage: LeadStage;
  @Field(() => Int, { description: 'All leads in this stage (matching the filter).' }) count: number;
  @Field(() => [Lead], { description: 'The newest leads of the stage.' }) leads: Lead[];
}
