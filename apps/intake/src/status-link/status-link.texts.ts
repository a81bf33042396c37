/**
 * The shopper's page for getting the status-page link mailed again (reference + email). The
 * answer never says whether the two matched a ticket: the same words either way.
 */
export const STATUS_LINK_TEXTS = {
  // The small section under the branded form.
  recoveryHeading: '受付確認メールが見つからない場合',
  recoveryIntro:
    'すでにお問い合わせいただいた方は、受付番号とメールアドレスを入力すると、お問い合わせの状況を確認できるお客様専用ページのリンクをメールで再送できます。',
  recoveryLink: 'お客様専用ページのリンクを再送する',

  title: 'お客様専用ページのリンクの再送',
  heading: 'お客様専用ページのリンクを再送する',
  intro:
    '受付番号と、お問い合わせの際にご入力いただいたメールアドレスを入力してください。一致するお問い合わせがあれば、そのメールアドレスへ新しいリンクをお送りします。',
  oldLinkNote:
    '新しいリンクをお送りすると、これまでのリンクは使えなくなります。新しいメールに記載のリンクをご利用ください。',
  reference: {
    label: '受付番号',
    hint: '受付確認メールやお問い合わせ完了画面に記載の8文字（例: K7QM-3XHD）',
  },
  email: { label: 'メールアドレス', hint: 'お問い合わせの際にご入力いただいたメールアドレス' },
  submit: 'リンクを再送する',
  backToForm: 'お問い合わせフォームへ戻る',

  // Shown after every accepted request, matched or not (the page must not tell them apart).
  sentHeading: '受け付けました',
  sent: '入力された受付番号とメールアドレスが一致するお問い合わせがある場合は、そのメールアドレスへお客様専用ページの新しいリンクをお送りしました。',
  sentNotArrived:
    '数分たってもメールが届かない場合は、迷惑メールフォルダをご確認のうえ、受付番号とメールアドレスに誤りがないかお確かめください。お急ぎの場合はお電話でお問い合わせください。',

  errors: {
    referenceRequired: '受付番号を入力してください。',
    referenceInvalid: '受付番号の形式が正しくありません（例: K7QM-3XHD）。',
    emailRequired: 'メールアドレスを入力してください。',
    emailInvalid: 'メールアドレスの形式が正しくありません（例: taro@example.jp）。',
    rateLimited:
      'リンクの再送のお申し込みが多すぎます。1時間ほどたってから、もう一度お試しください。お急ぎの場合はお電話でお問い合わせください。',
  },
} as const;
