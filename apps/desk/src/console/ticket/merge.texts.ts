/**
 * Issue 15: the requester's other tickets on the ticket page, the probable-duplicate and merged
 * notices, and the merge's pick and confirm steps (merge.view.ts, merge.controller.ts).
 */
export const MERGE_TEXTS = {
  historyHeading: 'このお客様の他のお問い合わせ',
  historyCaption: '同じメールアドレスまたは電話番号のお問い合わせ（この加盟店）',
  historyNone: '同じメールアドレス・電話番号のお問い合わせはほかにありません。',
  historyNote: 'メールアドレス・電話番号の一致は鍵付きハッシュで照合しています。',
  columns: {
    reference: '受付番号',
    status: '状態',
    category: '種類',
    site: 'サイト',
    createdAt: '受付日時',
    matchedBy: '一致',
    action: '統合',
  },
  matchedBy: { email: 'メール', phone: '電話' },
  mergedIntoMark: '{reference} に統合済み',
  mergeIntoLabel: '{reference} を統合先にする',
  mergePick: '統合先にする',
  mergeStart: '別のお問い合わせに統合…',
  probableDuplicate:
    '重複の可能性: 同じお客様（メールアドレスまたは電話番号）から24時間以内に同じサイトで受け付けたお問い合わせがあります:',
  duplicateMarker: '重複の可能性',
  mergedBanner:
    'このお問い合わせは {reference} に統合されました。会話・通話・添付ファイルは統合先に移動しています（読み取り専用）。',
  mergedLink: '統合先 {reference} を開く',
  pickTitle: 'チケット {reference} を統合',
  pickIntro:
    'このチケットの会話・通話・添付ファイル・判定の履歴を統合先へ移し、このチケットは完了（統合済み）になります。お客様の状況確認ページのリンクは統合先を開きます。',
  candidatesHeading: '同じお客様のお問い合わせから選ぶ',
  candidatesNone:
    '同じメールアドレス・電話番号のお問い合わせはありません。受付番号で指定してください。',
  intoLabel: '統合先の受付番号',
  intoHint: '例: K7QM-3XHD（同じ加盟店のお問い合わせに限ります）',
  next: '確認へ進む',
  confirmTitle: 'チケット {merged} を {survivor} に統合しますか',
  mergedSide: '統合元（完了になります）',
  survivorSide: '統合先（対応を続けます）',
  side: {
    reference: '受付番号',
    status: '状態',
    category: '種類',
    channel: '受付経路',
    site: 'サイト',
    createdAt: '受付日時',
    messages: 'メッセージ数',
  },
  consequences: [
    '{merged} の会話・通話・添付ファイル・判定の履歴を {survivor} に移します（どのチケットから来たかは残ります）。',
    '{merged} は完了（統合済み）になり、読み取り専用になります。',
    'お客様が {merged} の状況確認ページを開くと、{survivor} の状況確認ページへ移動します。',
    '両方のチケットの監査ログに記録します。',
  ],
  related: '2件は同じメールアドレスまたは電話番号のお問い合わせです。',
  unrelated:
    '2件には共通のメールアドレス・電話番号がありません。別のお客様の可能性があります（統合すると、統合元のお客様が統合先の状況確認ページを見られるようになります）。',
  unrelatedNeedsSupervisor: '統合にはスーパーバイザーまたは管理者の確認が必要です。',
  confirmUnrelatedLabel: '同じお客様であることを確認しました（スーパーバイザー）',
  confirm: '統合する',
  cancel: 'やめる',
  notice: 'お問い合わせを統合しました。',
} as const;
