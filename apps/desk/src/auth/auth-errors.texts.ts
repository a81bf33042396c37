/** Why the session gate refused a request (the error page's message, or a JSON 401/403). */
export const AUTH_ERROR_TEXTS = {
  unauthenticated: 'ログインしてください。ログインの有効期限が切れた可能性があります。',
  ipNotAllowed: 'この接続元からは利用できません。管理者にお問い合わせください。',
  csrf: 'フォームの有効期限が切れたか、正しくない送信です。画面を読み込み直してから、もう一度お試しください。',
  totpRequired: '二段階認証の登録が必要です。/account/totp で登録してください。',
  forbidden: 'この操作を行う権限がありません。',
  tooLarge: '送信された内容が大きすぎます。',
} as const;
