import { IsEmail, IsIn, Length } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TENANT_ROLES } from '../../core/permissions/catalog';

@InputType()
export class CreateUserInput {
  @Field(() => String) @IsEmail() @Length(3, 200) email: string;
  @Field(() => String) @Length(1, 100) name: string;
  @Field(() => String) @Length(10, 200) password: string;
  @Field(() => String, { description: 'owner, manager or staff' }) @IsIn(TENANT_ROLES) role: string;
}
