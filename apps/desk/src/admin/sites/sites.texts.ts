/** One site's edit page (and the site fields of the merchant page). */
export const SITES_TEXTS = {
  editTitle: 'サイト: {name}',
  editHeading: 'サイトを編集: {name}',
  merchant: '加盟店',
  slug: 'スラッグ',
  slugHint:
    '問い合わせフォームのURL（/s/スラッグ）になります。半角英小文字・数字・ハイフン、3〜64文字。',
  displayName: '表示名',
  logoUrl: 'ロゴ画像のURL',
  logoUrlHint: 'https:// で始まるURL。空欄ならロゴなし。',
  brandColor: 'ブランドカラー',
  brandColorHint: '#rrggbb の形式（例: #0b5fff）。',
  contactUrl: '加盟店の問い合わせ先URL',
  contactUrlHint: 'この窓口の対象外のお問い合わせを案内する先（https:// または http://）。',
  contactText: '加盟店の問い合わせ先の説明',
  contactTextHint: '電話番号や受付時間など。',
  senderName: '送信者名',
  senderNameHint: 'お客様へのメールの差出人名。',
  intakeOpen: '問い合わせの受付を開く',
  intakeOpenHint: '外すと、フォームは受付終了（410）の案内を表示します。',
  phoneCode: '電話コード',
  phoneCodeHint: '電話窓口で入力する半角数字2〜6桁。空欄なら電話コードなし。',
  inboundAlias: '受信用メールアドレス（別名）',
  inboundAliasHint:
    'このサイト宛てのメールを受け付けるもう一つのアドレス。ショップのサポート用アドレス（例: support@shop.example.jp、デスクへ転送するもの）か、受信用ドメインの @ より前の部分（例: support-a）。空欄なら別名なし。他のサイトと同じものは使えません。',
  inboundAddress: '受信用メールアドレス',
  inboundAddressHint:
    'これらのアドレスに届いたメールは、このサイトのお問い合わせ（受付経路: メール）になります。',
  liveNote: '変更は問い合わせフォームに直ちに反映されます。',
  preview: '問い合わせフォーム',
  save: '保存する',
  backToMerchant: '加盟店へ戻る',
  notices: {
    siteCreated: 'サイトを作成しました。',
    siteSaved: 'サイトを保存しました。問い合わせフォームに反映済みです。',
  },
} as const;
