/**
 * Every Japanese text of the desk (agent console, error pages), in one place so another language
 * can follow with the same shape ({@link DeskTexts}). `{name}`-style placeholders are filled with
 * `formatText` from @madoguchi/ui. Other parts of the desk add their own section objects here.
 */
export const DESK_TEXTS = {
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
    readOnly: '閲覧専用です。この画面から変更はできません。',
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

  statuses: {
    new: '新規',
    open: '対応中',
    pending_customer: 'お客様の返答待ち',
    pending_merchant: '加盟店の返答待ち',
    resolved: '解決済み',
    closed: '完了',
    handed_back: '加盟店へ返却',
  },
  channels: { web: 'Web', phone: '電話', email: 'メール' },
  priorities: { low: '低', normal: '通常', high: '高', urgent: '緊急' },
  // Same labels as the contract's categories in @madoguchi/tickets, kept here for translation.
  categories: {
    leak_check: '流出の有無・対象の確認',
    suspicious_contact: '不審な連絡・悪用の報告',
    password: 'パスワード・会員情報',
    payment: '決済・カード',
    data_request: '個人情報の開示・削除の依頼',
    other: 'その他',
  },
  sla: {
    breached: '期限超過',
    due_soon: 'まもなく期限',
    on_track: '期限内',
    none: '期限なし',
  },
  messageKinds: {
    customer: 'お客様',
    reply: '返信',
    note: '内部メモ (お客様には表示されません)',
    system: 'システム',
    call: '通話記録',
  },
  deliveryStates: { queued: '送信待ち', sent: '送信済み', failed: '送信失敗' },

  overview: {
    title: 'キュー一覧',
    heading: 'キュー一覧',
    intro: '担当できるキューです。期限超過とまもなく期限のチケットを優先してください。',
    empty: '担当できるキューがありません。管理者にキューへの追加を依頼してください。',
    caption: 'キューごとの件数',
    columns: {
      queue: 'キュー',
      merchant: '加盟店',
      new: '新規',
      open: '対応中',
      pending: '返答待ち',
      unassigned: '未割り当て',
      breached: '期限超過',
      dueSoon: 'まもなく期限',
    },
  },

  queue: {
    title: '{queue}（{merchant}）',
    filtersHeading: '絞り込み',
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
    apply: '絞り込む',
    reset: '条件をクリア',
    takeNext: '次を取る',
    takeNextHint:
      '期限が最も近い未割り当てのチケットを自分に割り当てて開きます（ショートカット: n）。',
    empty: '条件に合うチケットはありません。',
    queueEmpty: 'このキューに取れる未割り当てのチケットはありません。',
    caption: 'チケット（期限の近い順）',
    count: '全{total}件中 {from}〜{to}件',
    paging: 'ページ',
    previous: '前へ',
    next: '次へ',
    pageOf: '{page} / {pages}ページ',
    liveNote: 'この一覧は新しいチケットや変更があると自動で更新されます。',
    columns: {
      reference: '受付番号',
      status: '状態',
      sla: '期限',
      category: '種類',
      channel: '経路',
      priority: '優先度',
      assignee: '担当',
      site: 'サイト',
      updatedAt: '更新',
    },
  },

  ticket: {
    title: 'チケット {reference}',
    heading: 'チケット {reference}',
    requesterHeading: 'お問い合わせ者',
    requester: {
      name: 'お名前',
      email: 'メールアドレス',
      phone: '電話番号',
      orderNumber: '注文番号',
      erased: '（保存期間経過により削除）',
    },
    detailsHeading: '概要',
    details: {
      merchant: '加盟店',
      site: 'サイト',
      queue: 'キュー',
      channel: '受付経路',
      status: '状態',
      category: '種類',
      priority: '優先度',
      assignee: '担当',
      createdAt: '受付日時',
      updatedAt: '最終更新',
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
    assignedToOther: '{name}さんが対応中です。',
    assignedToMe: 'あなたが担当しています。',
    conversationHeading: 'やり取り',
    conversationEmpty: 'メッセージはありません。',
    bodyErased: '（保存期間経過により削除されました）',
    authorUnknown: '不明',
    replyHeading: '返信',
    replyLabel: 'お客様への返信',
    replyHint: '{merchant}の名前でメール送信し、お客様の状況確認ページにも表示されます。',
    cardWarning: 'カード番号やパスワードをお客様に尋ねないでください。',
    cannedLabel: '定型文',
    cannedPlaceholder: '定型文を選択',
    cannedInsert: '挿入',
    cannedNone: '使える定型文はありません。',
    nextStatusLabel: '送信後の状態',
    nextStatus: {
      pending_customer: 'お客様の返答待ちにする',
      resolved: '解決済みにする',
      open: '対応中のままにする',
    },
    replySubmit: '返信を送信',
    noteHeading: '内部メモ',
    noteLabel: '内部メモ',
    noteHint: 'お客様には表示されません。担当者間の引き継ぎに使います。',
    noteSubmit: 'メモを追加',
    statusHeading: '状態の変更',
    statusLabel: '新しい状態',
    statusSubmit: '状態を変更',
    statusNone: 'この状態から変更できる状態はありません。',
    propertiesHeading: '種類と優先度',
    categoryLabel: '種類',
    priorityLabel: '優先度',
    propertiesSubmit: '更新',
    assignHeading: '担当',
    assignMe: '自分に割り当てる',
    release: '担当を外す',
    reassignLabel: '担当者を変更',
    reassignSubmit: '割り当てる',
    handBackHeading: '加盟店への返却',
    handBackIntro: '本件と関係のないお問い合わせは、加盟店へ返却し、加盟店から回答してもらいます。',
    handBackStart: '加盟店へ返却…',
    handBackConfirmTitle: 'チケット {reference} を加盟店へ返却しますか',
    handBackConfirmItems: [
      'お客様へ、{merchant}のお問い合わせ先を案内する定型の返信をメールで送ります。',
      '{merchant}の通知先アドレスへ、返却のお知らせをメールで送ります。',
      'チケットの状態は「加盟店へ返却」になり、キューから外れます。',
    ],
    handBackContact: '案内する問い合わせ先',
    handBackNoContact: '加盟店の問い合わせ先が登録されていません。',
    handBackConfirm: '返却する',
    handBackCancel: 'やめる',
    staleWarning:
      '他の担当者がこのチケットを更新しました。最新の内容を確認してから、もう一度操作してください。',
    notices: {
      replied: '返信を送信しました。',
      noted: '内部メモを追加しました。',
      statusChanged: '状態を変更しました。',
      updated: '種類と優先度を更新しました。',
      assigned: '担当を変更しました。',
      claimed: 'チケットを取りました。',
      handedBack: '加盟店へ返却しました。',
    },
  },

  search: {
    title: '検索',
    heading: 'チケットの検索',
    label: '検索語',
    hint: '受付番号、メールアドレス、電話番号（ハイフンの有無は問いません）、注文番号のいずれかで、完全一致で検索します。',
    submit: '検索',
    results: '検索結果: {count}件',
    none: '該当するチケットはありません。',
    caption: '検索結果',
  },

  canned: {
    title: '定型文',
    heading: '定型文',
    intro: '返信欄で挿入できる文面です。次の差し込み項目が使えます。',
    placeholders: [
      { key: '{{name}}', text: 'お客様のお名前' },
      { key: '{{reference}}', text: '受付番号' },
      { key: '{{merchant}}', text: '加盟店名' },
      { key: '{{site}}', text: 'サイト名' },
      { key: '{{agent}}', text: '担当者名' },
    ],
    empty: '定型文はまだありません。',
    caption: '定型文の一覧',
    columns: { title: '題名', scope: '対象', updatedAt: '更新', actions: '操作' },
    global: 'すべての加盟店',
    edit: '編集',
    delete: '削除',
    deleteConfirm: '定型文「{title}」を削除しますか。元に戻すことはできません。',
    newHeading: '定型文を追加',
    editHeading: '定型文を編集',
    titleLabel: '題名',
    bodyLabel: '本文',
    scopeLabel: '対象の加盟店',
    create: '追加する',
    update: '保存する',
    notices: { saved: '定型文を保存しました。', deleted: '定型文を削除しました。' },
  },

  validation: {
    summaryTitle: '入力内容をご確認ください',
    required: '{field}を入力してください。',
    invalidChoice: '{field}は一覧から選んでください。',
  },

  /** Login, logout, second-factor enrolment and the session guard's refusals (apps/desk/src/auth). */
  auth: {
    login: {
      title: 'ログイン',
      heading: 'ログイン',
      intro: '窓口のスタッフ・加盟店の方専用です。',
      email: 'メールアドレス',
      password: 'パスワード',
      totp: '確認コード',
      totpHint:
        '二段階認証を登録済みの方は、認証アプリに表示される6桁の数字を入力してください。未登録の方は空欄のままで構いません。',
      submit: 'ログイン',
      errorTitle: 'ログインできませんでした',
      loggedOut: 'ログアウトしました。',
    },
    totp: {
      title: '二段階認証の登録',
      heading: '二段階認証の登録',
      required:
        'スタッフのアカウントは二段階認証の登録が必要です。登録が終わるまで、ほかの画面は使えません。',
      intro:
        '認証アプリ（Google Authenticator、Microsoft Authenticator など）で、次のQRコードを読み取ってください。',
      qrLabel: '登録用QRコード',
      manual:
        'QRコードを読み取れない場合は、次のキーをアプリに入力してください（時間ベース、6桁）。',
      secretLabel: 'キー',
      uriLabel: '登録用URI',
      code: '確認コード',
      codeHint: 'アプリに表示されている6桁の数字を入力して、登録を完了してください。',
      submit: '登録する',
      errorTitle: '登録できませんでした',
      enrolled: '二段階認証は登録済みです。次回から、ログインの際に確認コードを入力してください。',
      continue: '窓口へ進む',
      logout: 'ログアウト',
    },
    errors: {
      unauthenticated: 'ログインしてください。ログインの有効期限が切れた可能性があります。',
      ipNotAllowed: 'この接続元からは利用できません。管理者にお問い合わせください。',
      csrf: 'フォームの有効期限が切れたか、正しくない送信です。画面を読み込み直してから、もう一度お試しください。',
      totpRequired: '二段階認証の登録が必要です。/account/totp で登録してください。',
      forbidden: 'この操作を行う権限がありません。',
    },
  },

  errors: {
    statusCode: 'エラーコード: {status}',
    backToQueues: 'キュー一覧へ戻る',
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
      message: 'お探しのページやチケットは見つかりませんでした。URLをご確認ください。',
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

  /** Field errors of the REST API's input validation (a 400's `errors`); apps/desk/src/api. */
  api: {
    positiveInteger: '1以上の整数で指定してください。',
    pageSize: '1〜{max}の整数で指定してください。',
    oneOf: '次のいずれかを指定してください: {values}',
    assignee: '"me"、"unassigned" または利用者IDを指定してください。',
    required: '入力してください。',
    tooLong: '{max}文字以内で入力してください。',
    version: '読み込んだときのバージョン（0以上の整数）を指定してください。',
    assigneeId: '担当者のID（整数）または null を指定してください。',
    searchQuery: '検索語を1〜{max}文字で入力してください。',
  },
} as const;

type Widen<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? readonly Widen<U>[]
    : { readonly [K in keyof T]: Widen<T[K]> };

/** The shape another language must fill: same keys, any strings. */
export type DeskTexts = Widen<typeof DESK_TEXTS>;
