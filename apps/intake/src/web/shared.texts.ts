/**
 * The intake's shared words: the page frame, the phone window and the names shown on several
 * screens. A screen's own words live in its folder's `*.texts.ts`. `{name}`-style placeholders
 * are filled with `formatText` from @madoguchi/ui.
 */
export const INTAKE_SHARED_TEXTS = {
  common: {
    siteTitle: '{name} お問い合わせ窓口',
    pageTitle: '{page} | {site}',
    errorTitlePrefix: 'エラー: ',
    skipToContent: '本文へ移動',
    requiredMark: '必須',
    optionalMark: '任意',
    // The title of the error summary above every form (inquiry, reply, status link).
    errorSummaryTitle: '入力内容をご確認ください',
  },

  phoneWindow: {
    heading: 'お電話でのお問い合わせ',
    number: '03-6744-7492',
    // E.164 form for the tel: link; the visible number above is the domestic form.
    e164: '+81367447492',
    hours: '（平日10:00〜18:00）',
    hoursNote: '土日祝日・年末年始は受付を休止しています。',
    phoneCode: 'お電話の際はショップ番号 {phoneCode} をご入力ください。',
    referenceHint: 'お電話の際は受付番号をお伝えいただくと、スムーズにご案内できます。',
  },

  // Same labels as the contract's categories in @madoguchi/tickets: the form's choices and the
  // status page's category line.
  categories: {
    leak_check: '流出の有無・対象の確認',
    suspicious_contact: '不審な連絡・悪用の報告',
    password: 'パスワード・会員情報',
    payment: '決済・カード',
    data_request: '個人情報の開示・削除の依頼',
    other: 'その他',
  },
} as const;
