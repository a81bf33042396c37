import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { AppConfig } from '@madoguchi/config';
import { MAIL_TRANSPORT } from './mail.constant';
import { type MailTransport, SmtpMailTransport } from './mail-transport';
import { OutboxWorker } from './outbox/outbox-worker.service';
import { OutboxService } from './outbox/outbox.service';

export interface MailModuleOptions {
  /**
   * Whether this process sends the outbox. The intake only enqueues (it is public and holds
   * the least power, so it gets no SMTP credentials); the desk runs the worker. Even then
   * OUTBOX_WORKER=off keeps the poll timer stopped, for an instance that should not send.
   */
  worker: boolean;
}

const transportProvider: Provider = {
  provide: MAIL_TRANSPORT,
  inject: [AppConfig],
  // No SMTP_URL (refused in production by the config): no transport; the worker keeps mail.
  useFactory: (config: AppConfig): MailTransport | null =>
    config.mail.smtpUrl ? new SmtpMailTransport(config.mail.smtpUrl) : null,
};

/**
 * The mail outbox. Relies on the global AppConfig (ConfigModule), FieldCipher (CryptoModule)
 * and the app's TypeORM DataSource; it queries OutboxJob through the DataSource rather than a
 * forFeature repository, as the worker needs the query builder for its atomic claims anyway.
 *
 * Global, like ConfigModule and CryptoModule: an app imports it once and feature libraries
 * (tickets: confirmation mail) inject OutboxService without importing it themselves.
 */
@Module({})
export class MailModule {
  static forRoot(options: MailModuleOptions): DynamicModule {
    if (!options.worker) {
      return {
        global: true,
        module: MailModule,
        providers: [OutboxService],
        exports: [OutboxService],
      };
    }
    return {
      global: true,
      module: MailModule,
      providers: [OutboxService, transportProvider, OutboxWorker],
      exports: [OutboxService, OutboxWorker],
    };
  }
}
