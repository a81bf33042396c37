import { ACTIVE_TICKET_STATUSES, TICKET_STATUS_LABELS } from '@madoguchi/tickets';

/** The supervisors' dashboard. */
export const DASHBOARD_TEXTS = {
  title: '対応状況',
  intro: `未完了のチケット（${ACTIVE_TICKET_STATUSES.map((status) => TICKET_STATUS_LABELS[status]).join('・')}）の状況です。集計時刻: {at}`,
  totals: '全体',
  open: '未完了',
  breached: '期限超過',
  dueSoon: 'まもなく期限',
  unassigned: '未割り当て',
  resolvedToday: '本日解決',
  merchant: '加盟店',
  merchantsHeading: '加盟店別の未完了チケット',
  merchantsCaption: '加盟店別の未完了チケット（表）',
  merchantsEmpty: '未完了のチケットはありません。',
  chartDesc:
    '加盟店{count}社の未完了チケット数の横棒グラフ。最大は{max}件。数値は下の表にもあります。',
  agentsHeading: '担当者別の負荷',
  agentsCaption: '担当者別の担当中チケットと本日の解決数',
  agentsEmpty: 'エージェントがいません。',
  agent: '担当者',
  active: '担当中',
} as const;
