/** The texts of a ticket's conversation and SLA card, shown alike in the console and the portal. */
export const THREAD_TEXTS = {
  conversationHeading: 'やり取り',
  conversationEmpty: 'メッセージはありません。',
  bodyErased: '（保存期間経過により削除されました）',
  authorUnknown: '不明',
  /** A reply the pending automation sent (docs/rules.md): no author. */
  authorRules: '自動ルール',
  messageKinds: {
    customer: 'お客様',
    reply: '返信',
    note: '内部メモ (お客様には表示されません)',
    system: 'システム',
    call: '通話記録',
    merchant_query: '加盟店への確認事項 (お客様には表示されません)',
    merchant_answer: '加盟店からの回答 (お客様には表示されません)',
  },
  deliveryStates: { queued: '送信待ち', sent: '送信済み', failed: '送信失敗' },
  // Issue 13.2: provenance of an approved answer, 13.3: a correction.
  answer: {
    usedAnswer: '承認済み回答を使用',
    usedAnswerVerbatim: '承認済み回答 v{version}（そのまま）',
    usedAnswerEdited: '承認済み回答 v{version}（編集あり）',
    usedAnswerVersion: '承認済み回答 v{version}',
    correctionMark: '【訂正】',
  },
  slaHeading: '対応期限（営業時間）',
  sla: {
    state: '状態',
    firstResponseDue: '初回回答期限',
    firstResponded: '初回回答',
    resolutionDue: '解決期限',
    resolved: '解決日時',
    notYet: '未',
  },
} as const;
