/** The merchant admin's users page (Japanese). */
export const USERS_TEXTS = {
  title: '利用者',
  heading: '{merchant} の利用者',
  caption: '利用者の一覧',
  empty: '利用者はいません。',
  columns: {
    name: '表示名',
    email: 'メールアドレス',
    role: '役割',
    state: '状態',
    actions: '操作',
  },
  you: '（あなた）',
  inviteHeading: '利用者を招待',
  inviteIntro:
    '招待メールのリンク（72時間有効・1回限り）から本人がパスワードを設定します。招待した利用者は貴社の案件だけを閲覧できます。',
  email: 'メールアドレス',
  displayName: '表示名',
  role: '役割',
  invite: '招待メールを送る',
  disable: '無効にする',
  /** Opens the confirm step (the ellipsis: a question follows). */
  disableStart: '無効にする…',
  disableConfirm: {
    title: '{name}さんを無効にしますか',
    items: [
      'この利用者は貴社の案件を閲覧できなくなり、ログインできなくなります。',
      'ログイン中のセッションはすべて直ちに終了します。',
      'あとから「有効に戻す」で元に戻せます。',
    ],
  },
  notFound: '利用者が見つかりません。',
  enable: '有効に戻す',
  disableHelp: '無効にすると、その利用者のログイン中のセッションは直ちに終了します。',
  resendInvite: '招待を再送する',
  requireTotp: {
    heading: '二段階認証',
    label: '利用者全員に二段階認証を必須にする',
    hint: '必須にすると、二段階認証を登録していない利用者は、次の操作から登録画面だけを使えるようになります。',
    submit: '保存する',
    enrolled: '二段階認証',
    yes: '登録済み',
    no: '未登録',
  },
  notices: {
    invited: '招待メールを送信待ちにしました。',
    disabled: '利用者を無効にし、セッションを終了しました。',
    enabled: '利用者を有効に戻しました。',
    inviteResent: '招待メールを再送しました。以前のリンクは使えなくなりました。',
    totpRequired: '二段階認証を必須にしました。',
    totpOptional: '二段階認証の必須を解除しました。',
  },
} as const;
