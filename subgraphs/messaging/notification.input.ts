import { ArgsType, Field } from 'type-graphql';
import { PageArgs } from '../../core/pagination';

/** `notifications`: the page-size rule with its default 50 (PAGE_DEFAULT). */
@ArgsType()
export class NotificationsArgs extends PageArgs {
  @Field(() => Boolean, { defaultValue: false }) unreadOnly: boolean;
}
