import type { RuleTable } from '../../../core/permissions/rules';

/** Attaching is writing to a ticket; the links are as visible as the ticket or comment that holds them. */
export const ticketFileRules: RuleTable = {
  Mutation: { requestTicketAttachmentUpload: 'tickets:write', confirmTicketAttachmentUpload: 'tickets:write' },
  Ticket: { attachmentLinks: 'authenticated' },
  TicketComment: { attachmentLinks: 'authenticated' },
};
