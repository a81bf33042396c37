export const SEARCH_TEXTS = {
  title: '検索',
  heading: 'チケットの検索',
  label: '検索語',
  hint: '受付番号、メールアドレス、電話番号（ハイフンの有無は問いません）、注文番号のいずれかで、完全一致で検索します。',
  submit: '検索',
  results: '検索結果: {count}件',
  none: '該当するチケットはありません。',
  caption: '検索結果',
} as const;
