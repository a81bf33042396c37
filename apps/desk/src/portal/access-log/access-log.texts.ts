/** The portal's access log, its action filter and CSV export (Japanese). */
export const ACCESS_LOG_TEXTS = {
  title: 'アクセス履歴',
  intro:
    '貴社の案件を、運営スタッフと貴社の利用者がいつ・どこから閲覧・操作したかの記録です（東京時間）。',
  caption: 'アクセス履歴',
  filtersHeading: '絞り込み',
  from: '開始日',
  to: '終了日',
  dateHint: '例: 2025-04-01',
  user: '利用者',
  anyone: 'すべての利用者',
  apply: '絞り込む',
  reset: '条件を解除',
  empty: '条件に合う記録はありません。',
  count: '{total}件中 {from}〜{to}件目',
  unknownUser: '（削除された利用者）',
  staff: '運営スタッフ',
  columns: {
    when: '日時',
    who: '利用者',
    action: '操作',
    ticket: '案件',
    ip: 'IPアドレス',
  },
  /** Issue 13.8: the action filter and the bounded CSV export. */
  export: {
    action: '操作',
    anyAction: 'すべての操作',
    exportHeading: 'CSV でダウンロード',
    exportIntro:
      'いまの絞り込み条件に合う記録を CSV でダウンロードします（新しい順、Excel でそのまま開ける UTF-8 BOM 付き）。',
    exportLimits:
      '1回あたり{rows}件まで（超える場合はダウンロードできません。期間や操作で絞り込んでください）、1日{times}回まで。ダウンロードは監査ログとアクセス履歴に記録されます。',
    exportTooMany:
      'いまの条件では{total}件あり、上限の{rows}件を超えています。期間や操作で絞り込んでからダウンロードしてください。',
    exportCount: 'いまの条件で{total}件の記録がダウンロードされます。',
    password: 'パスワード（確認のため再入力）',
    passwordHint: 'ログインに使うパスワードです。',
    submit: 'CSV をダウンロード',
    refused: 'ダウンロードできません',
  },
} as const;
