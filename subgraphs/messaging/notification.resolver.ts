import { pageSize } from '../../core/pagination';
import type { MessagingContext } from './context';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { servedByGateway } from '../../core/federation/gateway-subscription';
import { NotificationsArgs } from './notification.input';
import { getNotification, listNotifications, markNotificationRead } from './notification.service';
import { Notification } from './notification.type';
import { Student } from './student.type';

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => [Notification], { description: "The caller's notifications and the tenant-wide ones, newest first." })
  notifications(@Args(() => NotificationsArgs) { unreadOnly, first }: NotificationsArgs, @Ctx() ctx: MessagingContext) {
    return listNotifications(ctx, unreadOnly, pageSize(first));
  }

  @Query(() => Notification, { nullable: true })
  notification(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return getNotification(ctx, id);
  }

  @Subscription(() => Notification, {
    description: 'Notifications for the caller as they are created (payment received, low credit balance, library near capacity, new student).',
    subscribe: servedByGateway,
  })
  notificationReceived(@Root() notification: Notification): Notification {
    return notification;
  }

  @FieldResolver(() => Student, { nullable: true })
  student(@Root() n: Notification): Student | null {
    return n.studentId ? { id: n.studentId } : null;
  }

  @Mutation(() => Notification)
  markNotificationRead(@Arg('id', () => ID) id: string, @Ctx() ctx: MessagingContext) {
    return markNotificationRead(ctx, id);
  }
}
