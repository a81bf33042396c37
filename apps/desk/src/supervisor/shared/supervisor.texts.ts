/** The supervisors' pages' own menu. */
export const SUPERVISOR_TEXTS = {
  subnavLabel: '状況メニュー',
  dashboardLink: 'ダッシュボード',
  auditLink: '監査ログ',
  bulkLink: '一括送信',
  slaLink: 'SLA目標',
  notificationsLink: 'SLA通知',
} as const;
