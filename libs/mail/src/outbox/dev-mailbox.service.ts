import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService, type RequestActor } from '@madoguchi/audit';
import { Clock, NotFoundException, runTransaction } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OUTBOX_MAIL_JOB } from '../mail.constant';
import { OutboxJob, type OutboxJobStatus } from './outbox-job.entity';
import { OutboxService } from './outbox.service';

/** The newest mails the dev mailbox shows. */
export const DEV_MAILBOX_ROWS = 50;

/** One mail of the outbox, whole: a development aid, never offered in production. */
export interface DevMailboxEntry {
  id: number;
  status: OutboxJobStatus;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  /** Null when the payload cannot be opened (a retired key). */
  mail: {
    to: string;
    fromName: string;
    subject: string;
    text: string;
    replyTo: string | null;
    attachmentCount: number;
  } | null;
}

/**
 * The dev mailbox (`/admin/dev-mailbox`): the outbox's mails with their addresses and bodies,
 * newest first, so a newcomer follows the status link of a demo inquiry right after `npm start`
 * without an SMTP server. Outside production only (404 there, whatever the caller); each read is
 * audited, as it shows personal data in full.
 */
@Injectable()
export class DevMailboxService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** False in production: the page, its route and its menu entry are not offered there. */
  get offered(): boolean {
    return !this.config.isProduction;
  }

  async read(actor: RequestActor): Promise<DevMailboxEntry[]> {
    if (!this.offered) throw new NotFoundException();
    const jobs = await this.dataSource.getRepository(OutboxJob).find({
      where: { type: OUTBOX_MAIL_JOB },
      order: { id: 'DESC' },
      take: DEV_MAILBOX_ROWS,
    });
    const entries = jobs.map((job) => this.entryOf(job));
    await runTransaction(this.dataSource, (manager) =>
      this.audit
        .by(actor, manager, this.clock.now())
        .record(AUDIT_ACTIONS.devMailboxViewed, { merchantId: null }, { mails: entries.length }),
    );
    return entries;
  }

  private entryOf(job: OutboxJob): DevMailboxEntry {
    let mail: DevMailboxEntry['mail'] = null;
    try {
      const read = this.outbox.readMail(job);
      mail = {
        to: read.to,
        fromName: read.fromName,
        subject: read.subject,
        text: read.text,
        replyTo: read.replyTo ?? null,
        attachmentCount: read.attachmentIds?.length ?? 0,
      };
    } catch {
      // Listed as unreadable; the outbox page can discard it.
    }
    return {
      id: job.id,
      status: job.status,
      createdAt: job.createdAt,
      sentAt: job.sentAt,
      lastError: job.lastError,
      mail,
    };
  }
}
