/** FAQ page statistics, shown to supervisors and in the merchant portal. */
export const FAQ_STATS_TEXTS = {
  heading: '公開お知らせページ（FAQ）',
  intro:
    'サイトの公開お知らせページ（/s/サイト/incident）が表示された回数と、そのページのリンクからフォームへ進んでお問い合わせを送った件数です（東京時間の日別集計。Cookie や個人を識別する情報は使いません）。',
  views: '表示回数',
  inquiries: '表示後のお問い合わせ',
  share: 'お問い合わせに進んだ割合',
  none: '—',
  dashboardHeading: '公開お知らせページ（直近{days}日）',
  dashboardEmpty: 'この期間に公開お知らせページは表示されていません。',
  caption: '加盟店別の公開お知らせページの表示とお問い合わせ',
  merchant: '加盟店',
} as const;
