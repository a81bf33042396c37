/** The shopper's own page `/status/{token}`: the ticket, the conversation and the reply form. */
export const STATUS_PAGE_TEXTS = {
  title: 'お問い合わせ状況',
  heading: 'お問い合わせ状況',
  privateNote: 'このページはお客様専用です。URLをほかの方に知らせないでください。',
  reference: '受付番号',
  status: '状況',
  category: 'お問い合わせの種類',
  createdAt: '受付日時',
  expectedAnswer: '回答の目安',
  conversationHeading: 'やりとり',
  empty: 'まだメッセージはありません。',
  authorYou: 'あなた',
  authorReply: '{name}',
  replyHeading: 'メッセージを送る',
  replyLabel: 'メッセージ',
  replyHint: '{max}文字以内でご入力ください。',
  replySubmit: '送信する',
  replySent: '送信しました。',
  replyClosed:
    'このお問い合わせへのご返信は、このページでは受け付けておりません。新たなご質問は、お問い合わせフォームからお送りください。',
  // Issue 13.3: a correction and the answer it replaces.
  correctionMark: '【訂正】',
  correctedNote: 'この回答は訂正されました（下の訂正をご覧ください）',

  // End-user wording for the ticket statuses of @madoguchi/tickets.
  statusLabels: {
    new: '受付済み',
    open: '対応中',
    pending_customer: 'お客様のご返信待ち',
    pending_merchant: 'ショップに確認中',
    resolved: '回答済み',
    closed: '完了',
    handed_back: 'ショップへ引き継ぎ済み',
  },
} as const;
