/** The Japanese words inbound mail writes into tickets (agents read them in the console). */
export const INBOUND_MAIL_TEXTS = {
  /** A mail with attachments only. */
  emptyBody: '（本文なし）',
  /** A body cut at the longest message stored. */
  truncated: '（以下省略）',
  /** The first line of a new ticket's message: the mail's subject. */
  subjectLine: (subject: string) => `件名：${subject}`,
  /** The system note beside a message whose mail carried attachments that were not accepted. */
  refusedAttachments: (reasons: readonly string[]) =>
    [
      'このメールの添付ファイルのうち、次のものは受け付けませんでした（送信者には通知していません）。',
      ...reasons.map((reason) => `・${reason}`),
    ].join('\n'),
} as const;
