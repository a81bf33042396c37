/** What callers hear on the window (TwiML <Say>, ja-JP). Hours come from the business calendar. */
export const TELEPHONY_TEXTS = {
  greeting: 'お電話ありがとうございます。ショップ窓口サポートセンターです。',
  askPhoneCode:
    'お問い合わせのショップのフォームページに記載されている、ショップ番号を押して、最後にシャープを押してください。番号がお分かりにならない場合は、そのままお待ちください。',
  retryPhoneCode:
    '入力された番号が見つかりませんでした。もう一度、ショップ番号を押して、最後にシャープを押してください。',
  phoneCodeAccepted: 'ショップ番号を確認しました。',
  connecting: 'ただいまから担当者におつなぎします。',
  queuePosition: (position: number) => `現在、${position}番目にお待ちいただいています。`,
  expectedWait: (minutes: number) =>
    minutes <= 1 ? 'まもなく担当者におつなぎします。' : `おおよその待ち時間は、${minutes}分です。`,
  hold: 'ただいま電話が大変混み合っております。恐れ入りますが、このままお待ちください。',
  outOfHours: (openHour: number, closeHour: number) =>
    `お電話ありがとうございます。ただいま受付時間外です。受付時間は、土日祝日と年末年始を除く、平日${openHour}時から${closeHour}時です。`,
  leaveMessage:
    '発信音のあとに、お名前とご用件、折り返しのお電話番号をお話しください。お話が終わりましたら、シャープを押すか、電話をお切りください。',
  voicemailThanks:
    'メッセージをお預かりしました。担当者より折り返しご連絡いたします。お電話ありがとうございました。',
  /** The overflow offer (waited too long, or nobody free): one key, TwiML <Gather numDigits="1">. */
  overflowOffer:
    'ただいま担当者が応対できません。留守番電話にメッセージを残す場合は1を、折り返しのお電話をご希望の場合は2を押してください。',
  /** The same for a caller who withheld their number: no callback without a number. */
  overflowOfferWithheld:
    'ただいま担当者が応対できません。留守番電話にメッセージを残す場合は1を押してください。番号非通知のため、折り返しのお電話はできません。',
  overflowRetry: '入力を確認できませんでした。',
  callbackRequested:
    '折り返しのご依頼を承りました。受付時間内に、このお電話番号へ担当者からおかけします。お電話ありがとうございました。',
  overflowGoodbye:
    '入力がありませんでしたので、お電話を終了します。改めておかけ直しください。お電話ありがとうございました。',
  agentWhisper: '担当者におつなぎします。',
  agentRefused:
    'このアカウントでは窓口の電話を受けることができません。管理者にお問い合わせください。',
} as const;
