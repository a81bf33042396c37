/** The portal's case export (CSV) page (Japanese). */
export const EXPORT_TEXTS = {
  from: '開始日',
  to: '終了日',
  dateHint: '例: 2025-04-01',
  /** Said beside the dates, before the service refuses a longer range. */
  rangeLimit:
    '期間は最長{days}日です。開始日が空欄なら終了日までの{defaultDays}日間、終了日が空欄なら今日までです。',
  title: '案件のエクスポート（CSV）',
  intro:
    '期間内に受け付けた案件を CSV でダウンロードします。お客様の氏名・連絡先・注文番号・本文は含みません。Excel でそのまま開けます（UTF-8 BOM 付き）。',
  limits:
    '1回あたり{rows}件まで（超える期間はダウンロードできません。期間を分けてください）、1日{times}回まで。操作はアクセス履歴に記録されます。',
  password: 'パスワード（確認のため再入力）',
  passwordHint: 'ログインに使うパスワードです。',
  submit: 'CSV をダウンロード',
  refused: 'エクスポートできません',
} as const;
