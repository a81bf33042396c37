import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OnDeskEvent } from '@madoguchi/common';
import { MailDeliveryEvent } from '@madoguchi/mail';
import { Message } from './message.entity';

/**
 * Keeps a reply's delivery state in step with its mail (queued → sent, or failed once the
 * outbox gives up), so the agent sees whether the end user was reached. Runs where the outbox
 * worker runs: the desk.
 */
@Injectable()
export class MessageDeliveryListener {
  private readonly logger = new Logger(MessageDeliveryListener.name);

  constructor(private readonly dataSource: DataSource) {}

  @OnDeskEvent('mail.delivery')
  async onDelivery(event: MailDeliveryEvent): Promise<void> {
    try {
      await this.dataSource
        .createQueryBuilder()
        .update(Message)
        .set({ deliveryState: event.state })
        // A sent message stays sent: a late failure of a duplicate job does not undo it.
        .where('id = :id AND (delivery_state IS NULL OR delivery_state <> :sent)', {
          id: event.messageId,
          sent: 'sent',
        })
        .execute();
    } catch (error) {
      // Display state only: the mail itself is already sent or dead in the outbox.
      this.logger.warn(`message ${event.messageId}: delivery state not updated (${String(error)})`);
    }
  }
}
