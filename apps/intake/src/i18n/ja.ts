import { HAND_BACK_PROMISE_TEXT } from '@madoguchi/tickets';

/**
 * Every Japanese text of the intake pages and of the intake's validation messages, in one place
 * so an English set can follow with the same shape ({@link IntakeTexts}).
 * `{name}`-style placeholders are filled with `formatText` from @madoguchi/ui.
 */
export const INTAKE_TEXTS = {
  common: {
    siteTitle: '{name} お問い合わせ窓口',
    pageTitle: '{page} | {site}',
    errorTitlePrefix: 'エラー: ',
    skipToContent: '本文へ移動',
    requiredMark: '必須',
    optionalMark: '任意',
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

  form: {
    title: 'お問い合わせフォーム',
    heading: 'お問い合わせフォーム',
    intro: [
      'このフォームは、「{siteName}」への不正アクセス事案に関するお問い合わせ専用の窓口です。',
      'お問い合わせには、{merchantName}に代わり、ショップのシステム提供事業者が設けた専用窓口の担当者が回答いたします。',
      // The same words the hand-back reply repeats to the shopper (one text, in @madoguchi/tickets).
      HAND_BACK_PROMISE_TEXT,
    ],
    cardNumberWarning:
      'クレジットカード番号・セキュリティコード・パスワードは入力しないでください。当窓口からこれらをお尋ねすることはありません。',
    categoryPlaceholder: '選択してください',
    consentHeading: '個人情報の取り扱いについて',
    consentText:
      'ご入力いただいた個人情報は、本件のお問い合わせへの回答とその記録のためにのみ利用し、回答のために{merchantName}と共有することがあります。法令に基づく場合を除き、その他の目的で第三者に提供することはありません。',
    consentLabel: '個人情報の取り扱いについて同意します',
    honeypotLabel: 'このフィールドは空のままにしてください',
    submit: '送信する',
  },

  fields: {
    name: { label: 'お名前', hint: '例: 山田 太郎' },
    email: {
      label: 'メールアドレス',
      hint: '受付確認と回答のお知らせをこのアドレスへお送りします。',
    },
    phone: { label: '電話番号', hint: '例: 090-1234-5678' },
    orderNumber: { label: 'ご注文番号', hint: 'お分かりになる場合のみご入力ください。' },
    category: { label: 'お問い合わせの種類' },
    message: { label: 'お問い合わせ内容', hint: '{max}文字以内でご入力ください。' },
    consent: { label: '個人情報の取り扱いへの同意' },
  },

  // Same labels as the contract's categories in @madoguchi/tickets, kept here for translation.
  categories: {
    leak_check: '流出の有無・対象の確認',
    suspicious_contact: '不審な連絡・悪用の報告',
    password: 'パスワード・会員情報',
    payment: '決済・カード',
    data_request: '個人情報の開示・削除の依頼',
    other: 'その他',
  },

  // Keyed like the issues of @madoguchi/tickets' validateInquiryInput (field, code);
  // validationMessage() does the mapping.
  validation: {
    summaryTitle: '入力内容をご確認ください',
    name: {
      required: 'お名前を入力してください。',
      tooLong: 'お名前は{max}文字以内で入力してください。',
    },
    email: {
      required: 'メールアドレスを入力してください。',
      tooLong: 'メールアドレスは{max}文字以内で入力してください。',
      invalid: 'メールアドレスの形式が正しくありません（例: taro@example.jp）。',
    },
    phone: {
      tooLong: '電話番号は{max}文字以内で入力してください。',
      invalid:
        '電話番号の形式が正しくありません。数字とハイフンで入力してください（例: 090-1234-5678）。',
    },
    orderNumber: {
      tooLong: 'ご注文番号は{max}文字以内で入力してください。',
    },
    category: {
      required: 'お問い合わせの種類を選択してください。',
      unknown: 'お問い合わせの種類は一覧から選択してください。',
    },
    message: {
      required: 'お問い合わせ内容を入力してください。',
      tooLong: 'お問い合わせ内容は{max}文字以内で入力してください。',
    },
    consent: {
      required: '個人情報の取り扱いをご確認のうえ、同意欄にチェックを入れてください。',
    },
    // Fallbacks for fields without their own wording; {field} is the field's label or name.
    required: '{field}を入力してください。',
    tooLong: '{field}は{max}文字以内で入力してください。',
    invalidType: '{field}の形式が正しくありません。',
    invalidBody: '送信内容の形式が正しくありません。',
    unknownField: '受け付けていない項目（{field}）が含まれています。',
  },

  thankYou: {
    title: 'お問い合わせを受け付けました',
    heading: 'お問い合わせを受け付けました',
    referenceLabel: '受付番号',
    referenceHint: 'お電話でお問い合わせの際は、この受付番号をお伝えください。',
    referenceInMail: '受付番号は、受付確認メールに記載しています。',
    mailSent:
      'ご入力のメールアドレスへ受付確認メールをお送りしました。メールには、お問い合わせの状況確認や追加のご連絡ができる、お客様専用ページのリンクが記載されています。',
    mailNotArrived:
      'メールが届かない場合は、迷惑メールフォルダもご確認ください。同じ内容を再度送信していただく必要はありません。',
    privateLinkNote: '専用ページのリンクは、ほかの方に知らせないでください。',
    nextHeading: '今後の流れ',
    nextSteps: [
      '専用窓口の担当者がお問い合わせ内容を確認します。',
      '回答をお送りした際は、メールでお知らせします。回答は専用ページでご確認いただけます。',
      '追加でお伝えしたいことがあれば、専用ページからご返信ください。',
    ],
  },

  closed: {
    closedTitle: '受付を終了しました',
    closedMessage: 'この専用お問い合わせ窓口での受付は終了しました。',
    supportEndedTitle: '対応期間が終了しました',
    supportEndedMessage: 'この専用窓口による対応期間は終了しました。',
    contactIntro: '{merchantName}へのお問い合わせは、ショップの窓口をご利用ください。',
    contactLinkText: '{merchantName}のお問い合わせ窓口',
    contactFallback: 'ショップのウェブサイトに記載のお問い合わせ先をご利用ください。',
    existingInquiry:
      'すでにお問い合わせいただいている方は、受付確認メールに記載の専用ページから状況をご確認いただけます。',
  },

  notFound: {
    title: 'ページが見つかりません',
    heading: 'ページが見つかりません',
    message: 'お探しのページは見つかりませんでした。URLに誤りがないかご確認ください。',
    mailLinkHint:
      'メールに記載のリンクから開いた場合は、リンクが途中で切れていないかご確認ください。',
  },

  errors: {
    statusCode: 'エラーコード: {status}',
    requestId: 'お問い合わせの際は次のIDをお伝えください: {id}',
    tooManyRequests: {
      title: 'アクセスが集中しています',
      message: '短い時間に多くの送信がありました。1分ほど待ってから、もう一度お試しください。',
    },
    payloadTooLarge: {
      title: '送信内容が大きすぎます',
      message:
        '送信内容が大きすぎるため受け付けられませんでした。内容を短くして、もう一度お試しください。',
    },
    serviceUnavailable: {
      title: 'ただいまご利用いただけません',
      message:
        '混雑またはメンテナンスのため、一時的にご利用いただけません。時間をおいて、もう一度お試しください。',
    },
    internal: {
      title: 'エラーが発生しました',
      message: 'システムで問題が発生しました。お手数ですが、時間をおいてもう一度お試しください。',
    },
  },

  status: {
    title: 'お問い合わせ状況',
    heading: 'お問い合わせ状況',
    privateNote: 'このページはお客様専用です。URLをほかの方に知らせないでください。',
    reference: '受付番号',
    status: '状況',
    category: 'お問い合わせの種類',
    createdAt: '受付日時',
    conversationHeading: 'やりとり',
    empty: 'まだメッセージはありません。',
    authorYou: 'あなた',
    authorReply: '{name}',
    replyHeading: 'メッセージを送る',
    replyLabel: 'メッセージ',
    replyHint: '{max}文字以内でご入力ください。',
    replySubmit: '送信する',
    replySent: '送信しました。',
    replyClosed:
      'このお問い合わせへのご返信は、このページでは受け付けておりません。新たなご質問は、お問い合わせフォームからお送りください。',
    // Issue 13.3: a correction and the answer it replaces.
    correctionMark: '【訂正】',
    correctedNote: 'この回答は訂正されました（下の訂正をご覧ください）',
  },

  // End-user wording for the ticket statuses of @madoguchi/tickets.
  statusLabels: {
    new: '受付済み',
    open: '対応中',
    pending_customer: 'お客様のご返信待ち',
    pending_merchant: 'ショップに確認中',
    resolved: '回答済み',
    closed: '完了',
    handed_back: 'ショップへ引き継ぎ済み',
  },
  // Issue 8B: the status page's "was my data included?" check with a mailed one-time code.
  leakCheck: {
    heading: '登録情報が含まれているか確認する',
    intro:
      '今回の事案で流出の対象となったお客様のリストに、このお問い合わせのメールアドレスが含まれているかを確認できます。ご本人確認のため、お問い合わせのメールアドレスへ6桁の確認コードをお送りします。',
    request: '登録情報が含まれているか確認する',
    requestAgain: '確認コードを再送する',
    noEmail:
      'このお問い合わせにはメールアドレスのご登録がないため、確認コードによる確認はご利用いただけません。担当者からご回答します。お急ぎの場合はお電話でお問い合わせください。',
    sent: 'お問い合わせのメールアドレスへ確認コードをお送りしました。コードの有効期限は{minutes}分です。',
    codeLabel: '確認コード（6桁の数字）',
    codeHint:
      'メールに記載の6桁の数字を入力してください。有効期限は{minutes}分、使えるのは1回だけです。',
    verify: '確認する',
    resultHeading: '確認結果',
    neutral:
      '確認コードによるご本人確認ができました。確認結果は、担当者からこのページでご回答いたします。しばらくお待ちください。',
    resultOnce:
      'この結果は、確認コードを入力した直後の今だけ表示しています。再度ご覧になる場合は、もう一度確認コードを請求してください。',
    errors: {
      invalid_format: '確認コードは6桁の数字で入力してください。',
      wrong: '確認コードが正しくありません。あと{remaining}回入力できます。',
      expired: '確認コードの有効期限が切れています。もう一度、確認コードを請求してください。',
      exhausted:
        '確認コードの入力の誤りが多いため、このコードは使えなくなりました。もう一度、確認コードを請求してください。',
      no_code: '有効な確認コードがありません。もう一度、確認コードを請求してください。',
      rate_limited:
        '確認コードの請求が多すぎます。1時間に{max}回まで請求できます。しばらくしてから、もう一度お試しください。',
    },
  },

  /** The public incident page `/s/{site}/incident` (issue 13.6) and its link on the form. */
  incidentPage: {
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
  },
} as const;

type Widen<T> = T extends string
  ? string
  : T extends readonly string[]
    ? readonly string[]
    : { readonly [K in keyof T]: Widen<T[K]> };

/** The shape another language must fill: same keys, any strings. */
export type IntakeTexts = Widen<typeof INTAKE_TEXTS>;
