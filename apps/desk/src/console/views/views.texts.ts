/** The saved views' texts: the card on the queue overview, a view's list, the save form. */
export const VIEWS_TEXTS = {
  card: {
    heading: 'ビュー',
    intro:
      '保存した条件の一覧です。件数は未完了のチケット（条件で状態を指定したビューはその状態）を数えています。',
    caption: 'ビューごとの件数',
    name: 'ビュー',
    kind: '種類',
    count: '件数',
    builtIn: '標準',
    shared: '共有',
    personal: '自分用',
  },
  list: {
    caption: 'チケット（期限の近い順）',
    count: '全{total}件中 {from}〜{to}件',
    empty: '条件に合うチケットはありません。',
    condition: '条件: {condition}',
    delete: 'このビューを削除',
    back: 'キュー一覧へ戻る',
  },
  save: {
    summary: 'この条件をビューとして保存',
    name: 'ビューの名前',
    shared: 'チーム全員と共有する（スーパーバイザー・管理者のみ）',
    submit: '保存する',
  },
  notices: {
    saved: 'ビューを保存しました。',
    deleted: 'ビューを削除しました。',
  },
  conditions: {
    assignee: { me: '自分の担当', unassigned: '未割り当て' },
    sla: '期限超過',
    replied: 'お客様から返信あり',
    all: '未完了すべて',
    every: 'すべての状態',
  },
} as const;
