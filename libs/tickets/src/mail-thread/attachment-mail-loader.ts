import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MailAttachment, MailAttachmentLoader } from '@madoguchi/mail';
import { AttachmentService } from '../attachment/attachment.service';

/**
 * The outbox worker's way to the attachments of a mail (libs/mail is below the tickets layer,
 * so it knows only the MailAttachmentLoader interface): provided under MAIL_ATTACHMENT_LOADER.
 * The bytes are read when the mail is sent, not copied into the outbox payload.
 */
@Injectable()
export class AttachmentMailLoader implements MailAttachmentLoader {
  constructor(
    private readonly dataSource: DataSource,
    private readonly attachments: AttachmentService,
  ) {}

  loadForMail(ids: number[]): Promise<MailAttachment[]> {
    return this.attachments.loadForMail(this.dataSource.manager, ids);
  }
}
