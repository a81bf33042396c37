/** Issue 8B: the status page's "was my data included?" check with a mailed one-time code. */
export const LEAK_CHECK_TEXTS = {
  heading: '登録情報が含まれているか確認する',
  intro:
    '今回の事案で流出の対象となったお客様のリストに、このお問い合わせのメールアドレスが含まれているかを確認できます。ご本人確認のため、お問い合わせのメールアドレスへ6桁の確認コードをお送りします。',
  // The two buttons say different things and look different: getting a code (outlined, once a
  // code is out) is never mistaken for using it (the filled button of the code form).
  request: '確認コードをメールで受け取る',
  requestAgain: '新しい確認コードを受け取る',
  requestAgainHint:
    'メールが届かない場合や有効期限が切れた場合は、新しい確認コードをお送りします。新しいコードをお送りすると、前のコードは使えなくなります。',
  noEmail:
    'このお問い合わせにはメールアドレスのご登録がないため、確認コードによる確認はご利用いただけません。担当者からご回答します。お急ぎの場合はお電話でお問い合わせください。',
  sent: 'お問い合わせのメールアドレスへ確認コードをお送りしました。コードの有効期限は{minutes}分です。',
  codeLabel: '確認コード（6桁の数字）',
  codeHint:
    'メールに記載の6桁の数字を入力してください。有効期限は{minutes}分、使えるのは1回だけです。',
  verify: '入力したコードで確認する',
  resultHeading: '確認結果',
  neutral:
    '確認コードによるご本人確認ができました。確認結果は、担当者からこのページでご回答いたします。しばらくお待ちください。',
  resultOnce:
    'この結果は、確認コードを入力した直後の今だけ表示しています。再度ご覧になる場合は、もう一度確認コードをお受け取りください。',
  // The error summary's title above a refused code or a refused request.
  verifyErrorTitle: '確認コードで確認できませんでした',
  requestErrorTitle: '確認コードをお送りできませんでした',
  // `{request}` is the request button's label, shown right below the message.
  errors: {
    invalid_format: '確認コードは6桁の数字で入力してください。',
    wrong: '確認コードが正しくありません。あと{remaining}回入力できます。',
    expired:
      '確認コードの有効期限が切れています。「{request}」から、新しい確認コードをお受け取りください。',
    exhausted:
      '確認コードの入力の誤りが多いため、このコードは使えなくなりました。「{request}」から、新しい確認コードをお受け取りください。',
    no_code: '有効な確認コードがありません。「{request}」から、確認コードをお受け取りください。',
    rate_limited:
      '確認コードの請求が多すぎます。1時間に{max}回まで請求できます。しばらくしてから、もう一度お試しください。',
  },
} as const;
