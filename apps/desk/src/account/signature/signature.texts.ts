/** An agent's reply signature (issue 15): the account page that sets it. */
export const SIGNATURE_TEXTS = {
  title: '返信の署名',
  heading: '返信の署名',
  intro:
    'お客様への返信の末尾に、ここで設定した名前と署名が付きます（メールと状況確認ページの両方）。空にすると署名は付きません。',
  name: '署名に表示する名前',
  nameHint: '例: 窓口担当 山田。お客様に表示されます。',
  text: '署名の本文',
  textHint:
    '名前の下に付ける行（部署や受付時間など）。省略できます。個人の連絡先は書かないでください。',
  preview: '返信の末尾に付く署名',
  none: '署名は設定されていません。',
  submit: '署名を保存',
  done: '署名を保存しました。',
  removed: '署名を削除しました。',
  /** The reply box's line about it. */
  replyLine: '返信の末尾に署名「{name}」が付きます。',
  replyNone: '署名は設定されていません。',
  replyLink: '署名を設定',
} as const;
