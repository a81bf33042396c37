/**
 * The lines every mail of the desk repeats about replying and the status link, and the system
 * message a bounce leaves in the ticket. Mail texts are plain text; the desk's own words only.
 */
export const MAIL_THREAD_TEXTS = {
  /** To the end user: under the reference, in every mail. */
  requester: {
    replyHint: 'このメールにそのまま返信して、追加のご連絡やご質問をお送りいただけます。',
    statusLinkLead: 'お問い合わせの状況の確認と、追加のご連絡は次のページからもできます。',
    statusLinkPrivate: 'このリンクはあなた専用です。他の方に知らせないでください。',
    /** Tickets born before the link was kept: the first mail holds it. */
    statusLinkInFirstMail:
      'お問い合わせの状況は、受付時にお送りしたメールに記載のページからご確認いただけます。',
  },
  /** To a merchant's notification addresses. */
  merchant: {
    replyHint:
      'このメールに貴社の通知先メールアドレスから返信していただくと、ご回答として窓口に届きます。',
    replyNoPersonalData: 'ご返信には、お客様の個人情報を記載しないでください。',
  },
  bounce: {
    reply:
      'お客様への返信メールが届きませんでした（宛先のメールサーバーから不達の通知がありました）。',
    requester:
      'お客様へのお知らせメールが届きませんでした（宛先のメールサーバーから不達の通知がありました）。',
    merchant:
      '加盟店への通知メールが届きませんでした（宛先のメールサーバーから不達の通知がありました）。',
    reasonLabel: '理由：',
  },
} as const;
