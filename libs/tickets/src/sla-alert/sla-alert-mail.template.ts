import { AUTO_GENERATED_HEADERS, type OutgoingMail } from '@madoguchi/mail';
import { formatDueText } from '../sla/expected-answer.text';
import type { SlaAlertKind } from './sla-alert.entity';

export const SLA_ALERT_KIND_LABELS: Readonly<Record<SlaAlertKind, string>> = {
  due_soon: 'まもなく期限',
  breached: '期限超過',
};

export interface SlaAlertMailInput {
  to: string;
  kind: SlaAlertKind;
  reference: string;
  merchantName: string;
  queueName: string;
  deadline: Date;
  ticketUrl: string;
  notificationsUrl: string;
}

/**
 * The mail of an SLA alert to a supervisor who opted in. References and times only, never the
 * shopper's data: the details are read, audited, in the desk.
 */
export function slaAlertMail(input: SlaAlertMailInput): OutgoingMail {
  const label = SLA_ALERT_KIND_LABELS[input.kind];
  return {
    to: input.to,
    fromName: 'Madoguchi 受付窓口',
    subject: `【窓口】SLA ${label}：受付番号 ${input.reference}（${input.queueName}）`,
    text: [
      `${input.merchantName} のキュー「${input.queueName}」のお問い合わせが${
        input.kind === 'breached' ? '期限を過ぎました' : 'まもなく期限です'
      }。`,
      '',
      `受付番号：${input.reference}`,
      `期限：${formatDueText(input.deadline)}`,
      '',
      `お問い合わせ：${input.ticketUrl}`,
      `通知の一覧・メール受け取りの設定：${input.notificationsUrl}`,
    ].join('\n'),
    headers: { ...AUTO_GENERATED_HEADERS },
  };
}
