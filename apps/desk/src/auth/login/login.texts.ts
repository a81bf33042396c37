/** The login page and the second-factor enrolment page. */
export const LOGIN_TEXTS = {
  login: {
    title: 'ログイン',
    heading: 'ログイン',
    intro: '窓口のスタッフ・加盟店の方専用です。',
    email: 'メールアドレス',
    password: 'パスワード',
    totp: '確認コード',
    totpHint:
      '二段階認証を登録済みの方は、認証アプリに表示される6桁の数字を入力してください。未登録の方は空欄のままで構いません。',
    submit: 'ログイン',
    errorTitle: 'ログインできませんでした',
    loggedOut: 'ログアウトしました。',
  },
  totp: {
    title: '二段階認証の登録',
    heading: '二段階認証の登録',
    required:
      'このアカウントは二段階認証の登録が必要です（運営スタッフ、または管理者が二段階認証を必須にした加盟店の利用者）。登録が終わるまで、ほかの画面は使えません。',
    intro:
      '認証アプリ（Google Authenticator、Microsoft Authenticator など）で、次のQRコードを読み取ってください。',
    qrLabel: '登録用QRコード',
    manual: 'QRコードを読み取れない場合は、次のキーをアプリに入力してください（時間ベース、6桁）。',
    secretLabel: 'キー',
    uriLabel: '登録用URI',
    code: '確認コード',
    codeHint: 'アプリに表示されている6桁の数字を入力して、登録を完了してください。',
    submit: '登録する',
    errorTitle: '登録できませんでした',
    enrolled: '二段階認証は登録済みです。次回から、ログインの際に確認コードを入力してください。',
    continue: '窓口へ進む',
    logout: 'ログアウト',
  },
  forgotLink: 'パスワードをお忘れの方',
} as const;
