/** Business calendar closures. */
export const CLOSURES_TEXTS = {
  title: '休業日',
  heading: '休業日（臨時休業・年末年始など）',
  intro: '土日・祝日に加えて、窓口を閉める日を登録します。SLAの期限と電話の受付時間に使われます。',
  propagation:
    'この画面を処理したサーバーには直ちに反映されます。他のサーバーには60秒以内に反映されます。',
  caption: '登録済みの休業日',
  empty: '登録された休業日はありません。',
  columns: {
    date: '日付',
    reason: '理由',
    actions: '操作',
  },
  delete: '削除',
  /** Opens the confirm step (the ellipsis: a question follows). */
  deleteStart: '削除…',
  deleteLabel: '{date}の休業日を削除',
  deleteConfirm: {
    title: '{date}の休業日を削除しますか',
    items: [
      'この日は、土日・祝日でなければ営業日に戻ります。',
      'この日を含むお問い合わせの対応期限（SLA）と、電話の受付時間の判断が変わります。',
      '他のサーバーには60秒以内に反映されます。',
    ],
    date: '日付',
    reason: '理由',
  },
  newHeading: '休業日を追加',
  date: '日付',
  dateHint: 'YYYY-MM-DD（例: 2026-12-29）。',
  reason: '理由',
  add: '追加する',
  notFound: '休業日が見つかりません。',
  notices: {
    closureAdded: '休業日を追加しました。',
    closureDeleted: '休業日を削除しました。',
  },
} as const;
