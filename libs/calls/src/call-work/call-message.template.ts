import type { Call } from '../call/call.entity';

const TOKYO = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function tokyoDateTime(date: Date): string {
  return TOKYO.format(date);
}

export const CALL_OUTCOME_LABELS: Readonly<Record<string, string>> = {
  answered: '応答',
  abandoned: '待ち中に切断',
  voicemail: '留守番電話',
  callback_requested: '折り返し依頼',
  out_of_hours: '受付時間外',
  busy: '話し中',
  failed: '失敗',
  no_answer: '応答なし',
};

export function durationText(seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}分${seconds % 60}秒` : `${seconds}秒`;
}

/**
 * The `call` message a call leaves on its ticket: the agent's summary, then the call's facts
 * (start, wait, talk, outcome) and, for a voicemail, the recording's Twilio SID and URL (the URL
 * needs the account's credentials to play: it is a reference, not a public link).
 */
export function callMessageText(
  call: Call,
  summary: string,
  recording: { recordingSid: string | null; recordingUrl: string | null },
): string {
  const facts = [
    `開始: ${call.startedAt ? tokyoDateTime(call.startedAt) : '—'}`,
    `待ち時間: ${durationText(call.waitSeconds)}`,
    `通話時間: ${durationText(call.talkSeconds)}`,
    `結果: ${call.outcome ? (CALL_OUTCOME_LABELS[call.outcome] ?? call.outcome) : '通話中'}`,
  ];
  const lines = [summary, '', `― 電話（通話 #${call.id}）―`, facts.join(' / ')];
  if (recording.recordingSid !== null || recording.recordingUrl !== null) {
    lines.push(
      `録音: ${recording.recordingSid ?? '—'}（${durationText(call.recordingSeconds)}）${recording.recordingUrl ?? ''}`.trim(),
    );
  }
  return lines.join('\n');
}

export const CALLBACK_OUTCOME_LABELS: Readonly<Record<string, string>> = {
  reached: '通話できた',
  no_answer: '応答なし',
  message_left: '伝言を残した',
};

/** The `call` message a callback attempt leaves on the call's ticket (internal). */
export function callbackAttemptText(
  call: Pick<Call, 'id'>,
  attempt: { number: number; outcome: string; note: string | null; at: Date },
): string {
  const lines = [
    `― 折り返し電話 ${attempt.number}回目（通話 #${call.id}）―`,
    `日時: ${tokyoDateTime(attempt.at)} / 結果: ${CALLBACK_OUTCOME_LABELS[attempt.outcome] ?? attempt.outcome}`,
  ];
  if (attempt.note) lines.push('', attempt.note);
  return lines.join('\n');
}
