/** Queues per merchant and their agent members. */
export const QUEUES_TEXTS = {
  title: 'キューとメンバー',
  heading: 'キューとメンバー',
  intro:
    'エージェントはメンバーになっているキューのチケットだけを扱えます。変更は次の操作から反映されます。',
  noQueues: 'キューはありません。',
  noMerchants: '加盟店はまだありません。',
  noMembers: 'メンバーはいません。',
  defaultQueue: '（既定）',
  members: 'メンバー',
  remove: '外す',
  /** Opens the confirm step (the ellipsis: a question follows). */
  removeStart: '外す…',
  removeConfirm: {
    title: '{name}さんを「{queue}」から外しますか',
    merchant: '加盟店',
    queue: 'キュー',
    member: 'メンバー',
    items: [
      'このエージェントは、次の操作から「{queue}」のチケットを開けなくなります。',
      '担当中のチケットの担当はそのまま残ります。必要なら担当を変えてください。',
      'あとから「メンバーを追加」で戻せます。',
    ],
  },
  memberNotFound: 'このキューのメンバーではありません。',
  addMember: 'メンバーを追加',
  agent: 'エージェント',
  add: '追加する',
  newQueue: 'キューを作成',
  queueName: 'キュー名',
  create: '作成する',
  disabledMark: '（無効）',
  notices: {
    queueCreated: 'キューを作成しました。',
    memberAdded: 'メンバーを追加しました。',
    memberRemoved: 'メンバーを外しました。',
  },
} as const;
