/** The portal's case page: the merchant's answer, the hand-back block and linked calls (Japanese). */
export const CASE_TEXTS = {
  backToList: '案件一覧へ戻る',
  caseTitle: '案件 {reference}',
  caseHeading: '案件 {reference}',
  /** What the user can do on the case page, by the case's state (issue 13.4: not "read-only" where it is not). */
  caseAccess: {
    question:
      '窓口から貴社へ確認事項が届いています。このページで回答できます。そのほかの内容は閲覧のみです（窓口の内部メモは表示されません）。',
    handBack:
      'このお問い合わせは貴社へお引き継ぎしました。お客様の連絡先とお問い合わせ内容を確認してお客様へ回答し、回答後に「回答済みにする」を押してください。',
    readOnly: 'この案件は閲覧のみです。窓口の内部メモは表示されません。',
  },
  answer: {
    heading: '担当者からの確認事項に回答する',
    help: 'このお問い合わせは貴社の回答待ちです。回答を送ると、窓口の担当者が対応を再開します。回答はお客様には表示されません。',
    question: '窓口からの確認事項',
    questionMeta: '{author}・{at}',
    noQuestion:
      '確認事項の本文はありません（窓口の内部メモで管理されている確認です）。内容が分からない場合は、その旨を回答してください。',
    label: '回答',
    submit: '回答を送る',
    sent: '回答を送りました。窓口の担当者が対応を再開します。',
  },
  /** Hand-back in the portal (issue 13.5): hand-back.view.ts. */
  handBack: {
    heading: '貴社へお引き継ぎした案件',
    promise:
      'お客様には、受付フォームでのご案内どおり「ショップから回答いたします」とお伝えしています。',
    handedBackAt: 'お引き継ぎ日時',
    reminderDue: 'リマインド予定',
    remindedAt: 'リマインド送信',
    revealHelp: 'お客様の連絡先とお問い合わせ内容の表示は、アクセス履歴に記録されます。',
    reveal: '連絡先とお問い合わせ内容を表示',
    contactHeading: 'お客様の連絡先とお問い合わせ内容',
    name: 'お名前',
    email: 'メールアドレス',
    phone: '電話番号',
    orderNumber: 'ご注文番号',
    messages: 'お問い合わせ内容',
    noMessages: 'お問い合わせ内容はありません（お電話での受付など）。',
    markHelp: 'お客様へ回答したら、回答済みにしてください。リマインドは送られなくなります。',
    mark: '回答済みにする',
    marked: '回答済みにしました。',
    answeredBy: '{name} さんが回答済みにしました:',
    answeredUnknown: '（削除された利用者）',
  },
  callsHeading: 'この案件に紐づく通話',
  callsNone: 'この案件に紐づく通話はありません。',
  callsCaption: 'この案件に紐づく通話',
  callColumns: {
    startedAt: '開始日時',
    outcome: '結果',
    talk: '通話時間',
    agent: '担当',
  },
} as const;
