import { Global, Module } from '@nestjs/common';
import { MAIL_ATTACHMENT_LOADER } from '@madoguchi/mail';
import { AttachmentService } from '../attachment/attachment.service';
import { AttachmentMailLoader } from './attachment-mail-loader';
import { MailBounceService } from './mail-bounce.service';
import { ReplyAddressService } from './reply-address.service';
import { SentMailIdService } from './sent-mail-id.service';
import { StatusLinkService } from './status-link.service';
import { ThreadedMailService } from './threaded-mail.service';

const MAIL_THREAD_SERVICES = [
  ReplyAddressService,
  SentMailIdService,
  StatusLinkService,
  MailBounceService,
  ThreadedMailService,
];

/**
 * Mail threading (docs/email.md): reply addresses, Message-IDs, the status link, bounces.
 * Global, as MailModule: the intake (confirmation, inbound mail), the desk (replies) and the
 * jobs (reminders) all send ticket mail. Needs, from the app: DatabaseModule, CryptoModule,
 * MailModule, AuditModule. Imported by TicketsModule and TicketDeskModule.
 */
@Global()
@Module({
  providers: [
    ...MAIL_THREAD_SERVICES,
    // The outbox worker (libs/mail, a layer below) loads a mail's attachments through this.
    AttachmentService,
    { provide: MAIL_ATTACHMENT_LOADER, useClass: AttachmentMailLoader },
  ],
  exports: [...MAIL_THREAD_SERVICES, MAIL_ATTACHMENT_LOADER],
})
export class MailThreadModule {}
