import type { OutgoingMail } from '@madoguchi/mail';

const FROM_NAME = 'Madoguchi 受付窓口';

export interface ApprovalRequestMailInput {
  to: string;
  merchantName: string;
  incidentTitle: string;
  templateTitle: string;
  version: number;
  /** The portal's page of the incident, at the version. */
  url: string;
}

/**
 * Issue 13.3: tells a merchant admin that a version of an answer awaits the merchant's
 * approval. It carries the titles and the link only, not the answer text: the admin reads,
 * compares and approves in the portal (behind login), where the decision is recorded.
 */
export function approvalRequestMail(input: ApprovalRequestMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: FROM_NAME,
    subject: `【承認のお願い】回答「${input.templateTitle}」第${input.version}版`,
    text: [
      `${input.merchantName} ご担当者様`,
      '',
      `インシデント「${input.incidentTitle}」の回答「${input.templateTitle}」に、第${input.version}版ができました。`,
      '窓口の担当者が貴社のお客様への返信にこの版を使えるのは、貴社が承認した後です。',
      '加盟店ポータルで前の版との違いと差し込み例を確認し、承認するか修正を依頼してください。',
      '',
      input.url,
      '',
      '（このメールは、貴社の加盟店管理者の方にお送りしています。）',
    ].join('\n'),
  };
}
