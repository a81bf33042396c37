import type { OutgoingMail } from '@madoguchi/mail';
import { TICKET_CATEGORIES, type TicketCategory } from './ticket.constant';

const PHONE_WINDOW = 'お電話でのお問い合わせ：03-6744-7492（平日 10:00〜18:00）';

export interface ReplyMailInput {
  to: string;
  senderName: string;
  siteName: string;
  requesterName: string | null;
  reference: string;
  body: string;
  messageId: number;
}

/**
 * An agent's reply, mailed to the end user in the merchant's name. The status link cannot be
 * repeated here (only its hash is stored), so the mail points to the link of the first mail.
 */
export function replyMail(input: ReplyMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: input.senderName,
    subject: `【${input.siteName}】お問い合わせへのご回答（受付番号 ${input.reference}）`,
    text: [
      ...(input.requesterName ? [`${input.requesterName} 様`, ''] : []),
      input.body,
      '',
      '――――――――――――――――――――',
      `受付番号：${input.reference}`,
      '',
      '※ このメールは送信専用です。このメールに返信せず、受付番号をご確認のうえ、',
      '　 受付時にお送りしたメールに記載のステータスページから返信してください。',
      PHONE_WINDOW,
      'お電話の際は受付番号をお伝えください。',
      '※ クレジットカード番号やパスワードをお尋ねすることはありません。',
    ].join('\n'),
    messageId: input.messageId,
  };
}

export interface HandBackReplyInput {
  merchantName: string;
  contactUrl: string | null;
  contactText: string | null;
}

/** The text of the reply that hands an inquiry back: stored as a message and mailed. */
export function handBackReplyText(input: HandBackReplyInput): string {
  const contact = [input.contactText, input.contactUrl].filter((line): line is string => !!line);
  return [
    'お問い合わせいただきありがとうございます。',
    `この窓口は、${input.merchantName} の不正アクセス事案に関するお問い合わせを専門にお受けしています。`,
    'いただいたお問い合わせは事案に関するものではないため、恐れ入りますが、',
    `${input.merchantName} の通常のお問い合わせ窓口へ改めてご連絡ください。`,
    '',
    ...(contact.length > 0
      ? ['【お問い合わせ先】', ...contact]
      : [`【お問い合わせ先】${input.merchantName} のお問い合わせ窓口`]),
    '',
    'ご不便をおかけし申し訳ございません。',
  ].join('\n');
}

export interface MerchantHandBackMailInput {
  to: string;
  merchantName: string;
  siteName: string | null;
  reference: string;
  category: TicketCategory;
}

/**
 * Tells a merchant's notification address that an inquiry was handed back. It carries the
 * reference and the category only, no end-user personal data: notification addresses are
 * shared mailboxes outside the desk's access control and audit, and mail may be forwarded;
 * the merchant reads the details in the portal, where access is logged.
 */
export function merchantHandBackMail(input: MerchantHandBackMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: 'Madoguchi 受付窓口',
    subject: `【窓口】お問い合わせを貴社へお戻ししました（受付番号 ${input.reference}）`,
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      '窓口で受け付けたお問い合わせのうち、事案の対象外と判断したものを貴社へお戻ししました。',
      'お客様には、貴社のお問い合わせ窓口へご連絡いただくようご案内しています。',
      '',
      `受付番号：${input.reference}`,
      ...(input.siteName ? [`サイト：${input.siteName}`] : []),
      `お問い合わせの種類：${TICKET_CATEGORIES[input.category]}`,
      '',
      'お客様の情報とお問い合わせの内容は、加盟店ポータルで受付番号からご確認ください。',
      '（個人情報保護のため、このメールにはお客様の情報を記載していません。）',
    ].join('\n'),
  };
}
