import type { AuditAction } from '@madoguchi/audit';

/**
 * The Japanese label of every audit action, shown in the merchant's access log (/portal/access-log),
 * the operator's audit page (/supervisor/audit), their action filters and CSV exports.
 *
 * A `Record` over every action: adding an action to AUDIT_ACTIONS without a label here fails tsc.
 * Add a new action's label at the end of its group; never reorder.
 */
export const AUDIT_ACTION_LABELS_JA: Record<AuditAction, string> = {
  // Tickets
  'ticket.created': '案件を受付',
  'ticket.customer_replied': 'お客様が返信',
  'ticket.status_page_viewed': 'お客様が状況ページを閲覧',
  'ticket.viewed': '案件を閲覧',
  'ticket.replied': 'お客様へ返信',
  'ticket.note_added': '内部メモを追加',
  'ticket.assigned': '担当を割り当て',
  'ticket.released': '担当を解除',
  'ticket.status_changed': '状態を変更',
  'ticket.updated': '種別・優先度を変更',
  'ticket.handed_back': '加盟店へ引き継ぎ',
  'ticket.merchant_answered': '加盟店が確認事項に回答',
  'ticket.searched': '案件を検索',
  'ticket.list_viewed': '案件一覧を閲覧（依頼者名・本文）',
  'sla_policy.saved': 'SLA目標を保存',
  'sla_policy.deleted': 'SLA目標を削除',
  'sla_alert.mail_changed': 'SLA通知メールの受け取りを変更',
  'ticket.erased': '保存期間の経過により個人情報を消去',
  // Rules (issue 15)
  'rule.created': '自動ルールを作成',
  'rule.updated': '自動ルールを変更',
  'rule.reordered': '自動ルールの順番を変更',
  'rule.deleted': '自動ルールを削除',
  'rule.pending_reminded': '返答待ちの案件へ自動で催促メールを送信',
  'rule.pending_resolved': '返答のない案件を自動で解決',
  // Sign-in
  'auth.login_succeeded': 'ログイン',
  'auth.login_failed': 'ログイン失敗',
  'auth.account_locked': 'アカウントをロック',
  'auth.logged_out': 'ログアウト',
  'auth.totp_enrolled': '二要素認証を登録',
  // Calls
  'call.viewed': '通話を閲覧',
  'call.linked': '通話を案件に紐づけ',
  'call.callback_done': '折り返し電話を完了',
  'call.callback_claimed': '折り返し電話を担当',
  'call.callback_attempted': '折り返し電話の結果を記録',
  'call.recording_played': '通話の録音を再生',
  'call.recording_stored': '通話の録音を保管（Twilio から削除）',
  // Canned responses
  'canned_response.saved': '定型文を保存',
  'canned_response.deleted': '定型文を削除',
  // Merchants, sites, calendar
  'merchant.created': '加盟店を作成',
  'merchant.updated': '加盟店設定を変更',
  'merchant.settings_updated': '通知先・接続元の設定を変更',
  'merchant.support_ended_notified': 'サポート期間終了を通知',
  'merchant.digest_sent': '日次のまとめを送信',
  'merchant.question_notified': '確認事項を加盟店へ通知',
  'site.created': 'サイトを作成',
  'site.updated': 'サイト設定を変更',
  'calendar.closure_added': '休業日を追加',
  'calendar.closure_deleted': '休業日を削除',
  // Users
  'user.invited': '利用者を招待',
  'user.disabled': '利用者を無効化',
  'user.enabled': '利用者を有効化',
  'user.unlocked': '利用者のロックを解除',
  'user.totp_reset': '利用者の二要素認証をリセット',
  'user.role_changed': '利用者の役割を変更',
  'user.password_set': 'パスワードを設定',
  // Queues
  'queue.created': 'キューを作成',
  'queue.member_added': 'キューにメンバーを追加',
  'queue.member_removed': 'キューからメンバーを削除',
  // Exports, alerts, keys
  'export.cases': '案件をCSVでダウンロード',
  'export.cases_failed': '案件のCSVダウンロードを拒否（パスワード誤り）',
  'bulk_view.alert': '大量閲覧の警告',
  'keys.rotated': '暗号鍵を更新',
  // Incident mode
  'incident.created': 'インシデントを作成',
  'incident.updated': 'インシデントを変更',
  'answer_template.created': '回答テンプレートを作成',
  'answer_template.edited': '回答テンプレートを編集',
  'answer_version.approved': '回答の版を承認',
  'answer_version.changes_requested': '回答の版に修正を依頼',
  'affected_list.uploaded': '対象者リストをアップロード',
  'affected_list.upload_refused': '対象者リストのアップロードを拒否',
  'leak_check.code_requested': 'お客様が確認コードを要求',
  'leak_check.code_checked': 'お客様が確認コードを入力',
  'bulk_send.started': '一括送信を開始',
  'bulk_send.completed': '一括送信が完了',
  'bulk_send.cancelled': '一括送信を中止',
  // Access log and audit trail
  'audit_log.exported': 'アクセス履歴・監査ログをCSVでダウンロード',
  'audit_log.export_failed': 'アクセス履歴・監査ログのCSVダウンロードを拒否（パスワード誤り）',
  // Questions to the merchant and hand-back
  'ticket.merchant_question_asked': '加盟店へ確認を依頼',
  'handback.contact_viewed': '引き継ぎ案件の連絡先と内容を表示',
  'handback.answered': '引き継ぎ案件を回答済みに',
  'handback.reminder_sent': '未回答の引き継ぎ案件をリマインド',
  // Determinations (included / not included)
  'determination.recorded': '流出対象かどうかの判定を記録',
  'determination.review_flagged': '対象者リストの更新で判定を見直し待ちに',
  // The incident report
  'incident_report.viewed': 'インシデント報告書を表示',
  'incident_report.exported': 'インシデント報告書をCSVでダウンロード',
  // The mail outbox
  'outbox.retried': '未送信メールを再送',
  'outbox.discarded': '未送信メールを破棄',
  // Data at rest and accounts
  'audit.purged': '保存期間を過ぎた監査ログを削除',
  'user.password_changed': 'パスワードを変更',
  'user.password_reset_requested': 'パスワード再設定メールを送信',
  'user.password_reset': 'パスワードを再設定',
  'user.invite_resent': '招待メールを再送',
  // Email and attachments (issue 14)
  'ticket.status_link_reissued': 'ステータスページのリンクを再送（お客様）',
  'attachment.viewed': '添付ファイルをダウンロード',
  'dev_mailbox.viewed': '開発用メールボックスを閲覧',
  'ticket.mail_set_aside': 'メールを受信（自動応答・不達通知など、案件には追加せず）',
  // Bulk actions and saved views (issue 15)
  'bulk_action.previewed': '一括操作を確認（実行前）',
  'bulk_action.started': '一括操作を実行',
  'bulk_action.completed': '一括操作が完了',
  'bulk_action.ticket': '一括操作でチケットを処理',
  'saved_view.created': '保存ビューを作成',
  'saved_view.deleted': '保存ビューを削除',
  // Requester history and merge (issue 15)
  'inquiry.resubmitted': 'フォームの再送信（新しい案件は作らず、最初の受付を表示）',
  'ticket.merged': 'お問い合わせを統合（統合元、完了）',
  'ticket.merge_received': 'お問い合わせを統合（統合先、会話などを移動）',
  // The reply box and tickets without email (issue 15)
  'ticket.call_noted': '電話で伝えた内容を記録',
  'user.signature_changed': '返信の署名を変更',
};

/** The label of an action, or the action's code itself for a code no longer in AUDIT_ACTIONS. */
export function auditActionLabel(action: string): string {
  return (AUDIT_ACTION_LABELS_JA as Record<string, string>)[action] ?? action;
}
