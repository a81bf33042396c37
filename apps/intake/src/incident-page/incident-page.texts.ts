/** The public incident page `/s/{site}/incident` (issue 13.6) and its link on the form. */
export const INCIDENT_PAGE_TEXTS = {
  title: '不正アクセス事案についてのお知らせ',
  heading: '不正アクセス事案についてのお知らせ',
  intro:
    '{merchantName}が確認・承認した、本件についてのご案内です。お問い合わせの前にご確認ください。',
  updatedAt: '{date} 更新',
  empty: '現在、このページでお知らせしている内容はありません。',
  stillQuestionsHeading: '解決しない場合は',
  stillQuestions:
    'ご案内で解決しない場合や、ご自身の情報について確認したい場合は、お問い合わせフォームまたはお電話でご連絡ください。',
  toForm: 'お問い合わせフォームへ進む',
  tocLabel: 'このページの内容',
  formLinkHeading: 'お問い合わせの前に',
  formLinkText: '本件について、よくあるご質問への回答をまとめています。',
  formLink: '不正アクセス事案についてのお知らせを読む',
} as const;
