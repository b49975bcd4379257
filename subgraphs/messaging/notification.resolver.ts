import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context';
import { NotificationsArgs } from './notification.input';
import { listNotifications, markNotificationRead } from './notification.service';
import { Notification } from './notification.type';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], { description: 'The caller\'s notifications and the tenant-wide ones, newest first.' })
  notifications(@Args(() => NotificationsArgs) { unreadOnly, first }: NotificationsArgs, @Ctx() ctx: RequestContext) {
    return listNotifications(ctx, unreadOnly, first);
  }

  @Mutation(() => Notification)
  markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    return markNotificationRead(ctx, id);
  }
}
