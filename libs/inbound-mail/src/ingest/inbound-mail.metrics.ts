import { Counter } from 'prom-client';
import { metricsRegistry } from '@madoguchi/common';

/** Mail received, by transport and what became of it (fixed words: reply, new_ticket, bounce, …). */
export const inboundMailsTotal = new Counter({
  name: 'madoguchi_inbound_mails_total',
  help: 'Inbound mails by transport (smtp, imap) and outcome (reply, new_ticket, auto_reply, bounce, duplicate, rejected, …)',
  labelNames: ['transport', 'outcome'] as const,
  registers: [metricsRegistry],
});
