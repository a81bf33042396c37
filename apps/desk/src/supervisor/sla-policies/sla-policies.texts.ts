/** The SLA policies screen's texts (issue 15). */
export const SLA_POLICIES_TEXTS = {
  title: 'SLA目標',
  heading: 'SLA目標（加盟店 × 優先度）',
  intro:
    '加盟店と優先度ごとに、初回回答と解決までの目標を営業時間（平日10:00〜18:00、休業日を除く）の分で決めます。種類を指定した目標は、同じ加盟店・優先度の「すべての種類」の目標より優先します。目標のない組み合わせは初回回答8時間・解決40時間です。',
  propagation:
    '新しいお問い合わせは受付時に、既存のお問い合わせは優先度か種類が変わったときに、この目標で期限を計算し直します。お客様に案内する回答の目安は、加盟店の「通常」優先度・すべての種類の目標です。',
  caption: '設定済みの目標',
  empty: 'まだ目標はありません。すべて初回回答8時間・解決40時間です。',
  columns: {
    merchant: '加盟店',
    priority: '優先度',
    category: '種類',
    firstResponse: '初回回答',
    resolution: '解決',
    actions: '操作',
  },
  anyCategory: 'すべての種類',
  minutes: '{hours}時間{minutes}分',
  hours: '{hours}時間',
  formHeading: '目標を追加・変更',
  formIntro: '同じ加盟店・優先度・種類の目標があれば置き換えます。',
  merchant: '加盟店',
  chooseMerchant: '選んでください',
  priority: '優先度',
  category: '種類',
  firstResponseMinutes: '初回回答までの目標（営業時間の分）',
  firstResponseHint: '例: 60（1時間）、480（8時間＝1営業日）',
  resolutionMinutes: '解決までの目標（営業時間の分）',
  resolutionHint: '例: 2400（40時間＝5営業日）',
  save: '保存する',
  delete: '削除',
  deleteLabel: '{merchant}・{priority}・{category}の目標を削除',
  notices: {
    saved: 'SLA目標を保存しました。',
    deleted: 'SLA目標を削除しました。',
  },
} as const;
