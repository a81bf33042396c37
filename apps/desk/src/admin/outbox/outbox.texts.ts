/** Mail not yet sent: the outbox page. */
export const OUTBOX_TEXTS = {
  title: '未送信メール',
  heading: '未送信メール',
  intro:
    '送信待ち・再送待ち・送信をあきらめたメールです。本文と宛先は表示しません（宛先は先頭1文字とドメインのみ）。再送すると今すぐ送信の対象になり、破棄するとそのメールは送信されず、内容は消去されます。',
  counts: '件数',
  states: {
    pending: '送信待ち',
    failed: '再送待ち（送信に失敗）',
    dead: '送信をあきらめたメール',
  },
  empty: 'ありません。',
  shownOf: '新しい順に{shown}件を表示しています（全{total}件）。',
  caption: '{state}の一覧',
  columns: {
    id: '番号',
    kind: '種類',
    recipient: '宛先',
    sender: '差出人名',
    created: '作成',
    attempts: '試行回数',
    next: '次の送信',
    lastError: '最後のエラー',
    actions: '操作',
  },
  kinds: {
    reply: 'お問い合わせへの返信',
    notice: 'お知らせ・通知',
    unreadable: '内容を読めません',
  },
  inFlight: '送信中',
  retry: '再送する',
  discard: '破棄する',
  /** Opens the confirm step (the ellipsis: a question follows). */
  discardStart: '破棄する…',
  discardConfirm: '破棄したメールは送信されず、元に戻せません。',
  discardStep: {
    title: 'メール #{id} を破棄しますか',
    state: '状態',
    items: [
      'このメールは送信されず、宛先と本文は消去されます。元に戻せません。',
      'お問い合わせへの返信なら、そのチケットに「送信失敗」と表示されます。',
      '破棄は監査ログに記録されます。',
    ],
  },
  notices: {
    retried: 'メールを再送の対象にしました。',
    discarded: 'メールを破棄しました。',
  },
} as const;
