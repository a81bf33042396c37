import { tokyoDateTimeText } from '@madoguchi/common';
import type { OutgoingMail } from '@madoguchi/mail';

export interface BulkViewAlertMailInput {
  to: string;
  viewer: { id: number; displayName: string; email: string; role: string };
  distinctTickets: number;
  threshold: number;
  at: Date;
  auditUrl: string;
}

/** To each admin: who viewed how many distinct tickets; no end-user data, no ticket references. */
export function bulkViewAlertMail(input: BulkViewAlertMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: 'Madoguchi 監視',
    subject: `【窓口・警告】案件の大量閲覧: ${input.viewer.displayName}`,
    text: [
      '管理者各位',
      '',
      `次の利用者が、直近1時間に ${input.distinctTickets} 件の案件を閲覧しました（警告のしきい値: ${input.threshold} 件）。`,
      '',
      `利用者: ${input.viewer.displayName}（${input.viewer.email}、役割 ${input.viewer.role}、ID ${input.viewer.id}）`,
      `検知日時: ${tokyoDateTimeText(input.at)}`,
      '',
      '心当たりのない閲覧であれば、利用者の無効化を検討してください（無効化するとその利用者のセッションはすぐに終了します）。',
      `監査ログ: ${input.auditUrl}`,
      '',
      'この警告は同じ利用者について1時間に1回までお送りします。',
    ].join('\n'),
  };
}
