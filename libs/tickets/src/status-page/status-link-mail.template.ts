import type { OutgoingMail } from '@madoguchi/mail';
import { requesterReplyLines } from '../mail-thread/mail-reply-lines.text';

export interface StatusLinkMailInput {
  to: string;
  senderName: string;
  siteName: string;
  reference: string;
  /** The new link; the old one no longer works. */
  statusUrl: string;
}

/**
 * The status link mailed again on the shopper's request (reference + email on the branded
 * form's recovery page). Only the desk's own words, the site's name and the reference: the
 * request came from a web form anyone can fill, so nothing typed there is repeated.
 */
export function statusLinkMail(input: StatusLinkMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: input.senderName,
    subject: `【${input.siteName}】お客様専用ページの新しいリンク（受付番号 ${input.reference}）`,
    text: [
      `${input.siteName} のお問い合わせ窓口です。`,
      'お客様専用ページのリンクの再送のお申し込みを受け付けました。',
      '新しいリンクをお送りします。これまでのリンクは使えなくなりました。',
      'お心当たりがない場合は、このメールを破棄してください。',
      '',
      `受付番号：${input.reference}`,
      '',
      ...requesterReplyLines(input.statusUrl),
      '',
      'お電話でのお問い合わせ：03-6744-7492（平日 10:00〜18:00）',
      'お電話の際は受付番号をお伝えください。',
      '',
      '※ クレジットカード番号やパスワードをお送りいただくことはありません。',
      '　 そのような連絡を受けた場合はご注意ください。',
    ].join('\n'),
  };
}
