/** The supervisors' pages' own menu. */
export const SUPERVISOR_TEXTS = {
  subnavLabel: '状況メニュー',
  dashboardLink: 'ダッシュボード',
  auditLink: '監査ログ',
  bulkLink: '一括送信',
} as const;
