import type { OutgoingMail } from '@madoguchi/mail';
import { echoedText } from '../inquiry/echoed-text.util';
import { requesterReplyLines } from '../mail-thread/mail-reply-lines.text';
import type { MailStatusLink } from '../mail-thread/status-link.service';
import { handBackPromise } from './hand-back-promise.text';
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
  /** A correction of an earlier answer (issue 13.3): the subject starts with 【訂正】. */
  correction?: boolean;
  /** The status link, or where to find it (StatusLinkService.mailLinkOf). */
  statusLink: MailStatusLink;
}

/** The subject's mark of a correction, at its very start so a mail list shows it first. */
export const CORRECTION_SUBJECT_PREFIX = '【訂正】';
const CORRECTION_MAIL_LEAD = '先にお送りしたご回答を、以下のとおり訂正いたします。';

/** Whether the first line of a reply is already a greeting such as 「山田 太郎 様」. */
export function opensWithGreeting(body: string): boolean {
  const firstLine = body.trimStart().split('\n', 1)[0].trim();
  // A greeting is a name and an honorific, not a sentence that happens to end with one.
  return firstLine.length <= 60 && /(様|さま)$/.test(firstLine) && !/[。！？!?]/.test(firstLine);
}

/**
 * An agent's reply, mailed to the end user in the merchant's name, with the status link; its
 * Reply-To is the ticket's reply address, so the end user can simply answer it.
 */
export function replyMail(input: ReplyMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: input.senderName,
    subject: `${input.correction ? CORRECTION_SUBJECT_PREFIX : ''}【${input.siteName}】お問い合わせへのご回答（受付番号 ${input.reference}）`,
    text: [
      // The name was typed by whoever filed the inquiry: repeated only with links defused. A
      // body that already opens with a greeting (an agent's own 「… 様」) is not greeted twice.
      ...(input.requesterName && !opensWithGreeting(input.body)
        ? [`${echoedText(input.requesterName)} 様`, '']
        : []),
      ...(input.correction ? [CORRECTION_MAIL_LEAD, ''] : []),
      input.body,
      '',
      '――――――――――――――――――――',
      `受付番号：${input.reference}`,
      '',
      ...requesterReplyLines(input.statusLink),
      '',
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

/**
 * The text of the reply that hands an inquiry back: stored as a message and mailed. It repeats
 * the intake form's promise word for word ({@link handBackPromise}): the shop answers. The
 * shop's own contact follows only as the way to reach it sooner.
 */
export function handBackReplyText(input: HandBackReplyInput): string {
  const contact = [input.contactText, input.contactUrl].filter((line): line is string => !!line);
  return [
    'お問い合わせいただきありがとうございます。',
    `この窓口は、${input.merchantName} の不正アクセス事案に関するお問い合わせを専門にお受けしています。`,
    handBackPromise(input.merchantName),
    `いただいたお問い合わせは ${input.merchantName} へお引き継ぎしました。ショップからの回答をお待ちください。`,
    ...(contact.length > 0
      ? [
          '',
          'お急ぎの場合は、ショップのお問い合わせ窓口へ直接ご連絡いただくこともできます。',
          ...contact,
        ]
      : []),
  ].join('\n');
}

export interface MerchantHandBackMailInput {
  to: string;
  merchantName: string;
  siteName: string | null;
  reference: string;
  category: TicketCategory;
  /** The case's page in the portal, where the merchant reads the contact and marks it answered. */
  portalUrl?: string | null;
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
      'お客様には、受付フォームでのご案内どおり「貴社から回答する」とお伝えしています。',
      '加盟店ポータルでお客様の連絡先とお問い合わせ内容をご確認のうえ、お客様へご回答いただき、',
      '回答後にポータルで「回答済みにする」を押してください。',
      '',
      `受付番号：${input.reference}`,
      ...(input.siteName ? [`サイト：${input.siteName}`] : []),
      `お問い合わせの種類：${TICKET_CATEGORIES[input.category]}`,
      '',
      ...(input.portalUrl ? [`加盟店ポータル：${input.portalUrl}`] : []),
      '（個人情報保護のため、このメールにはお客様の情報を記載していません。）',
    ].join('\n'),
  };
}
