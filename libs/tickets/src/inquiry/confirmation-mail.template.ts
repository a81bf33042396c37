import type { OutgoingMail } from '@madoguchi/mail';
import { requesterReplyLines } from '../mail-thread/mail-reply-lines.text';
import { TICKET_CATEGORIES, type TicketCategory } from '../ticket/ticket.constant';
import { echoedText } from './echoed-text.util';

export interface ConfirmationMailInput {
  to: string;
  senderName: string;
  siteName: string;
  requesterName: string;
  reference: string;
  statusUrl: string;
  category: TicketCategory;
  /** When the first answer is due (expectedAnswerSentence); without it, "順次ご回答いたします". */
  expectedAnswer?: string | null;
}

/**
 * The receipt an end user gets for a new inquiry, in the merchant's name. Anyone can type any
 * address and any name into the form, so the mail must not carry a stranger's message
 * (docs/security.md, "The desk's mail is not a phishing relay"): the subject and the first
 * lines hold only the desk's own words, the site's name and the reference; the one submitted
 * field it repeats, the name, comes after them, labelled as what was typed, on one line, cut
 * short and with links defused ({@link echoedText}). The message itself is never repeated.
 */
export function confirmationMail(input: ConfirmationMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: input.senderName,
    subject: `【${input.siteName}】お問い合わせを受け付けました（受付番号 ${input.reference}）`,
    text: [
      `${input.siteName} のお問い合わせ窓口です。`,
      'お問い合わせを受け付けました。',
      // The desk's own words, from the ticket's first-response due (expected-answer.text.ts).
      input.expectedAnswer ?? '担当者より順次ご回答いたします。',
      'お心当たりがない場合は、このメールを破棄してください。',
      '',
      `受付番号：${input.reference}`,
      `お問い合わせの種類：${TICKET_CATEGORIES[input.category]}`,
      `ご入力のお名前：${echoedText(input.requesterName)}`,
      '',
      // Below the desk's own lines: replying to this mail reaches the ticket (its Reply-To).
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
