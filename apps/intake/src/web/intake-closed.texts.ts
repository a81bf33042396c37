/** The 410 page of a site whose window no longer takes inquiries. */
export const INTAKE_CLOSED_TEXTS = {
  closedTitle: '受付を終了しました',
  closedMessage: 'この専用お問い合わせ窓口での受付は終了しました。',
  supportEndedTitle: '対応期間が終了しました',
  supportEndedMessage: 'この専用窓口による対応期間は終了しました。',
  contactIntro: '{merchantName}へのお問い合わせは、ショップの窓口をご利用ください。',
  contactLinkText: '{merchantName}のお問い合わせ窓口',
  contactFallback: 'ショップのウェブサイトに記載のお問い合わせ先をご利用ください。',
  existingInquiry:
    'すでにお問い合わせいただいている方は、受付確認メールに記載の専用ページから状況をご確認いただけます。',
} as const;
