import { AUTO_GENERATED_HEADERS, type OutgoingMail } from '@madoguchi/mail';
import { merchantReplyLines } from '../mail-thread/mail-reply-lines.text';
import { TICKET_CATEGORIES, type TicketCategory } from './ticket.constant';

/*
 * Mails to a merchant's notification addresses. Like the hand-back notice they carry
 * references, categories and counts only, never end-user personal data: the addresses are
 * shared mailboxes outside the desk's access control and audit; details are read in the portal.
 */

const FROM_NAME = 'Madoguchi 受付窓口';
const PRIVACY_NOTE = '（個人情報保護のため、このメールにはお客様の情報を記載していません。）';

export interface SupportEndedMailInput {
  to: string;
  merchantName: string;
  /** `YYYY-MM-DD` in Tokyo. */
  endedOn: string;
  portalUrl: string;
}

export function supportEndedMail(input: SupportEndedMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: FROM_NAME,
    subject: '【窓口】サポート期間が終了しました',
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      `貴社の受付窓口のサポート期間は ${input.endedOn} に終了しました。`,
      '新しいお問い合わせの受付は停止し、受付フォームでは貴社のお問い合わせ先をご案内しています。',
      '受付済みで対応中のお問い合わせは、引き続き窓口で対応します。',
      '',
      `加盟店ポータル：${input.portalUrl}`,
    ].join('\n'),
  };
}

export interface DigestTicketLine {
  reference: string;
  category: TicketCategory;
}

export interface MerchantDigestMailInput {
  to: string;
  merchantName: string;
  /** The Tokyo day the counts are for, `YYYY-MM-DD`. */
  date: string;
  newCount: number;
  resolvedCount: number;
  movedToMerchantCount: number;
  /** Tickets waiting on the merchant now (references only). */
  waitingOnMerchant: DigestTicketLine[];
  /** How many wait in all (the list may be cut short). */
  waitingOnMerchantTotal: number;
  portalUrl: string;
}

export function merchantDigestMail(input: MerchantDigestMailInput): OutgoingMail {
  const waiting =
    input.waitingOnMerchant.length === 0
      ? ['（ありません）']
      : input.waitingOnMerchant.map(
          (line) => `・${line.reference}（${TICKET_CATEGORIES[line.category]}）`,
        );
  const more = input.waitingOnMerchantTotal - input.waitingOnMerchant.length;
  return {
    to: input.to,
    fromName: FROM_NAME,
    subject: `【窓口】日次レポート ${input.date}`,
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      `${input.date} の受付窓口の状況をお知らせします。`,
      '',
      `新規のお問い合わせ：${input.newCount} 件`,
      `解決したお問い合わせ：${input.resolvedCount} 件`,
      `貴社へのご確認依頼：${input.movedToMerchantCount} 件`,
      '',
      `現在、貴社のご回答をお待ちしているお問い合わせ：${input.waitingOnMerchantTotal} 件`,
      ...waiting,
      ...(more > 0 ? [`ほか ${more} 件`] : []),
      '',
      `詳細は加盟店ポータルで受付番号からご確認ください：${input.portalUrl}`,
      PRIVACY_NOTE,
    ].join('\n'),
  };
}

export interface MerchantQuestionMailInput {
  to: string;
  merchantName: string;
  reference: string;
  category: TicketCategory;
  portalUrl: string;
  /**
   * The agent's question (a merchant_query message), quoted. It is the agent's own text, written
   * under the form's rule not to name the end user; the requester's fields are never added.
   */
  question?: string | null;
}

/**
 * A ticket now waits on the merchant's answer (pending_merchant), with the question if asked.
 * Sent through ThreadedMailService (audience `merchant`): its Reply-To is the ticket's merchant
 * reply address, and an answer mailed from a notification address lands as the merchant's.
 */
export function merchantQuestionMail(input: MerchantQuestionMailInput): OutgoingMail {
  const quoted = input.question
    ? ['', '【窓口からの確認事項】', ...input.question.split('\n').map((line) => `> ${line}`)]
    : [];
  return {
    to: input.to,
    fromName: FROM_NAME,
    subject: `【窓口】貴社へのご確認のお願い（受付番号 ${input.reference}）`,
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      '窓口で対応中のお問い合わせについて、貴社へのご確認をお願いしています。',
      '加盟店ポータルで内容をご確認のうえ、ご回答ください。',
      ...quoted,
      '',
      ...merchantReplyLines(),
      '',
      `受付番号：${input.reference}`,
      `お問い合わせの種類：${TICKET_CATEGORIES[input.category]}`,
      '',
      `加盟店ポータル：${input.portalUrl}`,
      PRIVACY_NOTE,
    ].join('\n'),
  };
}

export interface HandBackReminderMailInput {
  to: string;
  merchantName: string;
  reference: string;
  category: TicketCategory;
  /** `YYYY-MM-DD` in Tokyo. */
  handedBackOn: string;
  businessDays: number;
  portalUrl: string;
}

/** The one reminder that a handed-back case still waits for the merchant's answer. */
export function handBackReminderMail(input: HandBackReminderMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: FROM_NAME,
    subject: `【窓口】お引き継ぎしたお問い合わせが未回答です（受付番号 ${input.reference}）`,
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      `${input.handedBackOn} に貴社へお引き継ぎしたお問い合わせが、${input.businessDays} 営業日を過ぎても回答済みになっていません。`,
      'お客様には「貴社から回答する」とご案内しています。加盟店ポータルで内容をご確認のうえご回答いただき、',
      '回答後に「回答済みにする」を押してください。',
      '',
      `受付番号：${input.reference}`,
      `お問い合わせの種類：${TICKET_CATEGORIES[input.category]}`,
      '',
      `加盟店ポータル：${input.portalUrl}`,
      PRIVACY_NOTE,
    ].join('\n'),
    // A reminder, sent by itself: auto-responders must not answer it.
    headers: { ...AUTO_GENERATED_HEADERS },
  };
}
