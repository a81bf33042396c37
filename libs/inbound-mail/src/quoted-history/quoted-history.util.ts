/**
 * The reply's own words without the history a mail client quotes below (or above) it: Gmail's
 * "On … wrote:" and 「2026年12月4日(金) 10:00 Name <a@b>:」, iPhone Mail's
 * 「2026/12/04 10:00、Name <a@b>のメール:」, Outlook's 「-----Original Message-----」 and its
 * From:/差出人: header block, the carriers' 「--- 元のメッセージ ---」, `>` lines, and a
 * signature after "-- ". A forwarded mail is content, not history (a shopper forwards the
 * phishing mail they got): the caller does not strip a forward (see {@link isForwardSubject}).
 * If stripping would leave nothing, the whole body is kept.
 */
export function stripQuotedHistory(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  const whole = trimBlankLines(lines).join('\n');
  const cut = firstHistoryLine(lines);
  const before = withoutQuotedLines(lines.slice(0, cut));
  if (hasText(before)) return trimBlankLines(before).join('\n');
  // Nothing above the history: a reply written below the quote ("bottom-posting").
  const markers = historyMarkerLines(lines);
  const below = withoutQuotedLines(lines.filter((_, index) => !markers.has(index)));
  const signatureAt = below.findIndex(isSignatureDelimiter);
  const own = signatureAt === -1 ? below : below.slice(0, signatureAt);
  return hasText(own) ? trimBlankLines(own).join('\n') : whole;
}

/** 「Fwd:」「FW:」「転送:」: a forwarded mail, whose quoted part is what the sender means to send. */
export function isForwardSubject(subject: string): boolean {
  return /^\s*(\[[^\]]*\]\s*)?(fwd?|転送)\s*[:：]/i.test(subject.normalize('NFKC'));
}

/** A line mail clients put before the quote, on one line or wrapped onto a second. */
const ATTRIBUTIONS: readonly RegExp[] = [
  // Gmail, Apple Mail, Thunderbird (English): "On Fri, Dec 4, 2026 at 10:00, Name <a@b> wrote:"
  /^on\b.{0,300}\bwrote\s*:\s*$/i,
  // Gmail (Japanese): "2026年12月4日(金) 10:00 Name <a@b>:" (the address: a sentence that
  // starts with a date and ends with a colon is not enough).
  /^\d{4}年\s*\d{1,2}月\s*\d{1,2}日.{0,300}@.{0,300}[:：]\s*$/,
  // iPhone Mail (Japanese): "2026/12/04 10:00、Name <a@b>のメール:"
  /^\d{4}\/\d{1,2}\/\d{1,2}.{0,300}のメール\s*[:：]\s*$/,
  // Thunderbird and others: "2026/12/04 10:00, Name wrote:", "Name さんは書きました:"
  /^.{0,300}(\bwrote|さんは書きました|が書きました)\s*[:：]\s*$/i,
];

/** Outlook and the carriers' separators before the original message. */
const ORIGINAL_MESSAGE_SEPARATOR =
  /^\s*[-ー―─=_*]{2,}\s*(original message|元のメッセージ|返信元のメッセージ|reply message|オリジナルメッセージ)\s*[-ー―─=_*]{2,}\s*$/i;

/** Outlook's header block of the original: 差出人/From with 送信日時/Sent/Date and 件名/Subject. */
const HEADER_FROM = /^\s*(from|差出人|送信者)\s*[:：]/i;
const HEADER_SENT = /^\s*(sent|date|送信日時|送信日|日時|日付)\s*[:：]/i;
const HEADER_SUBJECT = /^\s*(subject|件名)\s*[:：]/i;
/** The rule Outlook draws above that block. */
const RULE = /^\s*[-_─━]{8,}\s*$/;

function normalised(line: string): string {
  return line.normalize('NFKC');
}

function isAttribution(lines: readonly string[], index: number): boolean {
  const line = normalised(lines[index] ?? '').trim();
  if (line === '') return false;
  if (ATTRIBUTIONS.some((pattern) => pattern.test(line))) return true;
  // Wrapped onto a second line: "On … Name <" / "a@b> wrote:". The first line must start the
  // attribution (a date or "On"), so an ordinary sentence ending a paragraph does not count.
  if (!/^(on\b|\d{4}[/年-])/i.test(line)) return false;
  const next = normalised(lines[index + 1] ?? '').trim();
  return next !== '' && ATTRIBUTIONS.some((pattern) => pattern.test(`${line} ${next}`));
}

function isOutlookHeaderBlock(lines: readonly string[], index: number): boolean {
  if (!HEADER_FROM.test(normalised(lines[index] ?? ''))) return false;
  const following = lines.slice(index + 1, index + 7).map(normalised);
  return (
    following.some((line) => HEADER_SENT.test(line)) &&
    following.some((line) => HEADER_SUBJECT.test(line))
  );
}

function isSignatureDelimiter(line: string): boolean {
  return /^-- ?$/.test(line);
}

function isQuoted(line: string): boolean {
  return /^\s*[>＞]/.test(line);
}

/** Index of the first line where the history starts (its rule above it included); lines.length if none. */
function firstHistoryLine(lines: readonly string[]): number {
  for (let index = 0; index < lines.length; index++) {
    const line = normalised(lines[index] ?? '');
    if (isSignatureDelimiter(lines[index] ?? '')) return index;
    if (ORIGINAL_MESSAGE_SEPARATOR.test(line) || isAttribution(lines, index)) return index;
    if (isOutlookHeaderBlock(lines, index)) {
      let start = index;
      while (start > 0 && (lines[start - 1] ?? '').trim() === '') start--;
      return start > 0 && RULE.test(lines[start - 1] ?? '') ? start - 1 : index;
    }
  }
  return lines.length;
}

/** The marker lines themselves (attribution, separator, Outlook's header block and its rule). */
function historyMarkerLines(lines: readonly string[]): Set<number> {
  const markers = new Set<number>();
  for (let index = 0; index < lines.length; index++) {
    const line = normalised(lines[index] ?? '');
    if (ORIGINAL_MESSAGE_SEPARATOR.test(line) || RULE.test(line)) markers.add(index);
    else if (isAttribution(lines, index)) {
      markers.add(index);
      if (!ATTRIBUTIONS.some((pattern) => pattern.test(line.trim()))) markers.add(index + 1);
    } else if (isOutlookHeaderBlock(lines, index)) {
      // The block runs to its first blank line.
      for (let end = index; end < lines.length && (lines[end] ?? '').trim() !== ''; end++) {
        markers.add(end);
      }
    }
  }
  return markers;
}

function withoutQuotedLines(lines: readonly string[]): string[] {
  return lines.filter((line) => !isQuoted(line));
}

function hasText(lines: readonly string[]): boolean {
  return lines.some((line) => line.trim() !== '');
}

function trimBlankLines(lines: readonly string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  // trimEnd, not /\s+$/: that backtracks quadratically on a long run of spaces inside a line.
  return lines.slice(start, end).map((line) => line.trimEnd());
}
