import {
  TICKET_CATEGORIES,
  TICKET_CHANNEL_LABELS,
  TICKET_PRIORITY_LABELS,
  TICKET_STATUS_LABELS,
} from '@madoguchi/tickets';

/** The desk's shared words: layout, nav, pager, ticket vocabulary, validation and error pages. */
export const SHARED_TEXTS = {
  common: {
    productName: '窓口',
    productNameLatin: 'Madoguchi',
    pageTitle: '{page} | 窓口 Madoguchi',
    errorTitlePrefix: 'エラー: ',
    skipToContent: '本文へ移動',
    requiredMark: '必須',
    optionalMark: '任意',
    none: '—',
    unassigned: '未割り当て',
    save: '保存する',
    cancel: 'キャンセル',
    back: '戻る',
    liveRegionUpdated: '一覧を更新しました。',
    cannedInserted: '定型文を返信欄に挿入しました。',
    /** Issue 15: a colleague on a ticket (the ticket page and the queue list's marker). */
    presenceViewing: '{name}さんが閲覧中',
    presenceWriting: '{name}さんが返信を入力中',
    readOnly: '閲覧専用です。この画面から変更はできません。',
  },

  /** The desk header's availability control for the window's calls (issue 15). */
  callAvailability: {
    label: '電話の受付状態',
    save: '変更',
    states: { available: '電話: 受付可', busy: '電話: 対応中', away: '電話: 離席' },
  },
  nav: {
    label: 'メインメニュー',
    queues: 'キュー',
    search: '検索',
    canned: '定型文',
    signedInAs: '{name}さん（{role}）',
    logout: 'ログアウト',
    searchLabel: 'チケットを検索',
    searchPlaceholder: '受付番号・メール・電話・注文番号',
    searchSubmit: '検索',
    // The entries of the other screens, so the layout needs no screen's texts.
    calls: '電話',
    supervisor: '状況',
    slaAlerts: 'SLA通知',
    slaAlertsUnread: '（未読{count}件）',
    admin: '管理',
    accountPassword: 'パスワードの変更',
    portalCases: '案件',
    portalIncidents: 'インシデント',
    portalStats: '統計',
    portalExport: 'エクスポート',
    portalBulkSends: '一括送信',
    portalAffectedLists: '対象者リスト',
    portalAccessLog: 'アクセス履歴',
    portalSettings: '設定',
  },

  pager: {
    previous: '前へ',
    next: '次へ',
    paging: 'ページ',
    pageOf: '{page} / {pages}ページ',
  },

  /** The filter form of the ticket lists (a queue's list, the portal's cases). */
  listFilter: {
    heading: '絞り込み',
    status: '状態',
    statusActive: '未完了すべて',
    statusAll: 'すべて',
    category: '種類',
    channel: '受付経路',
    assignee: '担当',
    any: 'すべて',
    assigneeMe: '自分',
    assigneeUnassigned: '未割り当て',
    assigneeAnyone: 'すべて',
    incident: 'インシデント',
    incidentAny: 'すべて',
    apply: '絞り込む',
    reset: '条件をクリア',
  },

  roles: {
    admin: '管理者',
    supervisor: 'スーパーバイザー',
    agent: 'エージェント',
    merchant_admin: '加盟店管理者',
    merchant_viewer: '加盟店閲覧者',
  },

  shortcuts: {
    heading: 'キーボードショートカット',
    intro: '入力欄で文字を入力している間は働きません。',
    items: [
      { key: 'n', text: 'このキューの次のチケットを取る（キュー画面）' },
      { key: 'r', text: '返信欄へ移動（チケット画面）' },
      { key: 'm', text: '内部メモ欄へ移動（チケット画面）' },
      { key: '/', text: '検索欄へ移動' },
      { key: 'g q', text: 'キュー一覧へ移動' },
      { key: '?', text: 'このショートカット一覧を開く・閉じる' },
    ],
  },

  // One word per status, channel, priority and category for pages, CSV and messages alike.
  statuses: TICKET_STATUS_LABELS,

  channels: TICKET_CHANNEL_LABELS,

  priorities: TICKET_PRIORITY_LABELS,

  categories: TICKET_CATEGORIES,

  sla: {
    breached: '期限超過',
    due_soon: 'まもなく期限',
    on_track: '期限内',
    none: '期限なし',
  },

  validation: {
    summaryTitle: '入力内容をご確認ください',
    required: '{field}を入力してください。',
    invalidChoice: '{field}は一覧から選んでください。',
  },

  errors: {
    statusCode: 'エラーコード: {status}',
    requestId: '問い合わせ用ID: {id}',
    backToQueues: 'キュー一覧へ戻る',
    /** A merchant user's way back: the portal speaks of cases, not queues. */
    backToCases: '案件一覧へ戻る',
    login: 'ログイン画面へ',
    badRequest: {
      title: '送信内容に誤りがあります',
      message: '入力内容を確認して、もう一度お試しください。',
    },
    unauthenticated: {
      title: 'ログインしてください',
      message: 'ログインの有効期限が切れたか、ログインしていません。',
    },
    forbidden: {
      title: 'この操作は許可されていません',
      message: 'この画面を開く権限がありません。必要な場合は管理者にご相談ください。',
    },
    csrf: {
      title: '画面の有効期限が切れました',
      message:
        '安全のため、送信を受け付けませんでした。画面を開き直してから、もう一度操作してください。',
    },
    notFound: {
      title: 'ページが見つかりません',
      message: 'お探しのページは見つかりませんでした。URLをご確認ください。',
    },
    conflict: {
      title: '操作を完了できませんでした',
      message:
        '他の操作と重なったため、処理を中止しました。最新の内容を確認してから、もう一度操作してください。',
    },
    locked: {
      title: 'アカウントがロックされています',
      message: 'しばらく時間をおいてから、もう一度お試しください。',
    },
    payloadTooLarge: {
      title: '送信内容が大きすぎます',
      message: '内容を短くして、もう一度お試しください。',
    },
    tooManyRequests: {
      title: 'アクセスが集中しています',
      message: 'しばらく時間をおいてから、もう一度お試しください。',
    },
    unavailable: {
      title: 'ただいま利用できません',
      message:
        'データベースに接続できないか、メンテナンス中です。しばらくしてから、もう一度お試しください。',
    },
    internal: {
      title: 'エラーが発生しました',
      message:
        '処理中にエラーが発生しました。時間をおいても解決しない場合は、管理者にご連絡ください。',
    },
  },

  ipRefused: {
    title: 'この接続元からは利用できません',
    message: 'お使いのネットワークからの接続は許可されていません。',
    ip: 'いまの接続元IPアドレス: {ip}',
    unknownIp: '不明',
    merchantContact:
      '社内の加盟店管理者に、このIPアドレスを「設定」の「接続を許可するIPアドレス範囲」に追加するよう依頼してください。社外や自宅のネットワークからは、許可された社内ネットワーク（VPN など）に接続してからお試しください。',
    staffContact:
      '運営のシステム管理者に連絡してください。許可されたネットワーク（社内・VPN）から接続するとご利用いただけます。',
  },
} as const;
