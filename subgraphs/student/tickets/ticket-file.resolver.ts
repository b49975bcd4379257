import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { FileDownload, UploadTicket } from '../../../core/storage/file.type';
import type { StudentContext } from '../context';
import { RequestTicketAttachmentInput } from './ticket-file.input';
import { attachmentLinks, confirmTicketAttachment, requestTicketAttachment } from './ticket-file.service';
import type { TicketView } from './ticket.service';
import { Ticket, TicketComment } from './ticket.type';

@Resolver(() => Ticket)
export class TicketFileResolver {
  @Mutation(() => UploadTicket, { description: 'An upload URL for a ticket attachment; confirm it, then name its fileId in raiseTicket or addTicketComment.' })
  requestTicketAttachmentUpload(@Arg('input', () => RequestTicketAttachmentInput) input: RequestTicketAttachmentInput, @Ctx() ctx: StudentContext) {
    return requestTicketAttachment(ctx, input);
  }

  @Mutation(() => FileDownload, { description: 'Checks the uploaded attachment (size, type); returns its download link.' })
  confirmTicketAttachmentUpload(@Arg('fileId', () => ID) fileId: string, @Ctx() ctx: StudentContext) {
    return confirmTicketAttachment(ctx, fileId);
  }

  @FieldResolver(() => [FileDownload], { description: '5-minute download links of the attachments (empty without object storage).' })
  attachmentLinks(@Root() t: TicketView, @Ctx() ctx: StudentContext) {
    return attachmentLinks(ctx, t.attachments);
  }
}

@Resolver(() => TicketComment)
export class TicketCommentFileResolver {
  @FieldResolver(() => [FileDownload], { description: '5-minute download links of the attachments (empty without object storage).' })
  attachmentLinks(@Root() c: { attachments: string[] }, @Ctx() ctx: StudentContext) {
    return attachmentLinks(ctx, c.attachments);
  }
}
