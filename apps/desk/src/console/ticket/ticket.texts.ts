import { TICKET_STATUS_LABELS } from '@madoguchi/tickets';
import { SHARED_TEXTS } from '../../web/shared.texts';

/**
 * The ticket page's texts: the conversation, its forms, the merchant question and hand-back.
 * The portal's case page shows the same details and requester labels.
 */
export const TICKET_TEXTS = {
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
    incident: 'インシデント',
    priority: '優先度',
    assignee: '担当',
    createdAt: '受付日時',
    updatedAt: '最終更新',
  },
  assignedToOther: '{name}さんが対応中です。',
  assignedToMe: 'あなたが担当しています。',
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
    pending_customer: `${TICKET_STATUS_LABELS.pending_customer}にする`,
    resolved: `${TICKET_STATUS_LABELS.resolved}にする`,
    open: `${TICKET_STATUS_LABELS.open}のままにする`,
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
  handBackNoEmail:
    'お客様のメールアドレスがないため、お客様へは何も送りません。{merchant}のお問い合わせ先は電話でお伝えください。',
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
    callNoted: '電話で伝えた内容を記録しました。',
    questionAsked: `加盟店へ確認事項を送り、「${TICKET_STATUS_LABELS.pending_merchant}」にしました。`,
    determined: '流出対象かどうかの判定を記録しました。',
    merged:
      'お問い合わせを統合しました（統合元の会話・通話・添付ファイルをこのチケットへ移しました）。',
  },
  /** A ticket without an email address (issue 15): no reply, a call note instead. */
  undeliverable: {
    reason:
      'このお問い合わせにはメールアドレスがないため、返信をお届けできません。お客様へは電話でお伝えし、伝えた内容を記録してください。',
    label: '電話で伝えた内容',
    hint: '内部の記録です（お客様には送信されません）。記録だけでは初回応答になりません。',
    submit: '電話で伝えた内容を記録',
  },
  /** Who else is on the ticket (issue 15); console.js reads these from the page. */
  presence: {
    label: 'このチケットを開いている担当者',
    viewing: SHARED_TEXTS.common.presenceViewing,
    writing: SHARED_TEXTS.common.presenceWriting,
    newMessages: '新しいメッセージがあります。会話を更新しました（入力中の文章はそのままです）。',
    draftRestored: '保存していた下書きを戻しました。',
    replaceSelection: '選択中の文章を置き換えますか？「キャンセル」で選択の後ろに挿入します。',
  },
  /** Asking the merchant a question (issue 13.4): merchant-question.view.ts. */
  merchantQuestion: {
    heading: '加盟店に確認する',
    headingMore: '加盟店に追加で確認する',
    intro: `確認事項は加盟店ポータルに表示され、加盟店の通知先メールにも引用されます。お客様には表示されません。送ると状態は「${TICKET_STATUS_LABELS.pending_merchant}」になり、加盟店が回答するとキューに戻ります。`,
    label: '確認事項',
    privacy:
      'お客様の個人情報を書かないでください（氏名・メールアドレス・電話番号など）。加盟店は受付番号で案件を開いて確認します。',
    submit: '加盟店に確認を依頼する',
    waiting: '加盟店の回答を待っています。最後の確認事項:',
  },
  /** The hand-back as the agent sees it after handing back (issue 13.5). */
  handBackState: {
    heading: '加盟店への引き継ぎ',
    handedBackAt: '引き継いだ日時',
    answered: '加盟店の回答',
    answeredBy: '回答済み（{name}）',
    notAnswered: '未回答',
    reminder: 'リマインド',
    remindedAt: '{at} に送信済み',
    reminderDue: '{at} に送信予定',
    answeredUnknown: '（削除された利用者）',
  },
  /** The merchant's approved incident answers offered above the reply box (issue 13.2). */
  incidentAnswers: {
    label: '承認済みの回答（{merchant}）',
    placeholder: '回答を選択',
    insert: '挿入',
    none: 'このお問い合わせの加盟店が承認した回答はまだありません。',
    option: '{title}（第{version}版・{purpose}）',
    inserted:
      '承認済みの回答「{title}」第{version}版を挿入しました。送信すると、この版を使ったことが記録されます。',
  },
  /** The affected-list card: is the customer on the merchant's list (issue 8B). */
  affectedListIndicator: {
    heading: '流出対象者リストとの照合',
    incident: 'インシデント: {title}',
    noList: 'この加盟店のリストはまだ登録されていません。',
    matched: 'リストに一致',
    notMatched: '一致なし',
    absent: '未入力',
    verification: 'お客様の本人確認',
    verifiedAt: '確認コードで本人確認済み:',
    notVerified: '未確認（お客様はまだ確認コードで確認していません）',
    shown: 'お客様に表示した結果: {result}',
    results: {
      included: '含まれている',
      not_included: '含まれていない',
      undetermined: '自動判定なし（担当者から回答）',
    },
    note: '照合は鍵付きハッシュ同士で行います。お客様に結果を伝えるのは、確認コードで本人確認が済んだ場合だけにしてください。',
  },
} as const;
