/** The intake's unbranded 404 page and its error pages (429, 413, 503, 500). */
export const ERROR_PAGE_TEXTS = {
  notFound: {
    title: 'ページが見つかりません',
    heading: 'ページが見つかりません',
    message: 'お探しのページは見つかりませんでした。URLに誤りがないかご確認ください。',
    mailLinkHint:
      'メールに記載のリンクから開いた場合は、リンクが途中で切れていないかご確認ください。',
    phoneHint:
      'お問い合わせ先のページが見つからない場合は、お電話でもご相談いただけます。ショップ名をお伝えください。',
  },

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
} as const;
