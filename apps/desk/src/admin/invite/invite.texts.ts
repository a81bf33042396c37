/** The invitee's page: set a password. */
export const INVITE_TEXTS = {
  title: 'パスワードの設定',
  heading: 'パスワードを設定してください',
  intro: '{name}さん（{email}）のアカウントです。12文字以上のパスワードを設定してください。',
  password: 'パスワード',
  passwordHint: '12文字以上。長い文（パスフレーズ）がおすすめです。',
  confirmation: 'パスワード（確認）',
  submit: 'パスワードを設定する',
  doneTitle: 'パスワードを設定しました',
  done: 'パスワードを設定しました。ログインしてください。',
  toLogin: 'ログイン画面へ',
} as const;
