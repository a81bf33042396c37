/** The page after a sent inquiry: the reference, the mail and what happens next. */
export const THANK_YOU_TEXTS = {
  title: 'お問い合わせを受け付けました',
  heading: 'お問い合わせを受け付けました',
  referenceLabel: '受付番号',
  referenceHint: 'お電話でお問い合わせの際は、この受付番号をお伝えください。',
  referenceInMail: '受付番号は、受付確認メールに記載しています。',
  mailSent:
    'ご入力のメールアドレスへ受付確認メールをお送りしました。メールには、お問い合わせの状況確認や追加のご連絡ができる、お客様専用ページのリンクが記載されています。',
  // Followed by the address, masked (t***@e***.jp): recognisable, not readable over a shoulder.
  mailSentTo: '受付確認メールを、次のアドレスへお送りしました（一部を伏せて表示しています）。',
  mailLinkNote:
    'メールには、お問い合わせの状況確認や追加のご連絡ができる、お客様専用ページのリンクが記載されています。',
  mailNotArrived:
    'メールが届かない場合は、迷惑メールフォルダもご確認ください。同じ内容を再度送信していただく必要はありません。',
  privateLinkNote: '専用ページのリンクは、ほかの方に知らせないでください。',
  nextHeading: '今後の流れ',
  expectedAnswerLabel: '回答の目安',
  nextSteps: [
    '専用窓口の担当者がお問い合わせ内容を確認します。',
    '回答をお送りした際は、メールでお知らせします。回答は専用ページでご確認いただけます。',
    '追加でお伝えしたいことがあれば、専用ページからご返信ください。',
  ],
} as const;
