import type { OutgoingMail } from '@madoguchi/mail';
import { requesterReplyLines } from '@madoguchi/tickets';

export interface LeakCheckCodeMailInput {
  to: string;
  senderName: string;
  siteName: string;
  reference: string;
  code: string;
  validMinutes: number;
  statusUrl: string;
}

/** The one-time code for the status page's "was my data included?" check, in the merchant's name. */
export function leakCheckCodeMail(input: LeakCheckCodeMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: input.senderName,
    subject: `【${input.siteName}】確認コードのお知らせ（受付番号 ${input.reference}）`,
    text: [
      `${input.siteName} のお問い合わせ窓口です。`,
      'お問い合わせ状況のページから確認コードのご請求があったため、確認コードをお送りします。',
      '',
      `確認コード：${input.code}`,
      '',
      `このコードの有効期限は${input.validMinutes}分間で、1回だけ使えます。`,
      'お問い合わせ状況のページに戻り、このコードを入力してください。',
      '',
      'お心当たりがない場合は、このメールを破棄してください。コードを他の方に知らせないでください。',
      '',
      ...requesterReplyLines(input.statusUrl),
    ].join('\n'),
  };
}
