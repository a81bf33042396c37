import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { parseInboundMail } from './inbound-mail-parser';

const TEXT = 'お世話になっております。①髙橋ｶﾀｶﾅ';

function encoded(text: string, charset: 'ISO-2022-JP' | 'Shift_JIS' | 'EUC-JP'): Buffer {
  if (charset !== 'ISO-2022-JP') return iconv.encode(text, charset);
  return Buffer.from(
    Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' }) as number[],
  );
}

describe('parseInboundMail', () => {
  // mailparser decodes these itself (through its own iconv-lite and encoding-japanese): no
  // decoding of our own is needed.
  it.each(['ISO-2022-JP', 'Shift_JIS', 'EUC-JP'] as const)(
    'should decode a %s body, subject and From name',
    async (charset) => {
      const word = (text: string) =>
        `=?${charset}?B?${encoded(text, charset).toString('base64')}?=`;
      const raw = Buffer.concat([
        Buffer.from(
          `From: ${word('山田 太郎')} <Taro@Example.jp>\r\nTo: A@Inbound.test, ${word('窓口')} <b@inbound.test>\r\n` +
            `Subject: ${word('Re: 不在のお知らせ')}\r\nIn-Reply-To: <x@inbound.test>\r\n` +
            `MIME-Version: 1.0\r\nContent-Type: text/plain; charset=${charset}\r\n\r\n`,
        ),
        encoded(TEXT, charset),
      ]);
      const mail = await parseInboundMail(raw);
      expect(mail).toMatchObject({
        from: { address: 'Taro@Example.jp', name: '山田 太郎' },
        recipients: ['a@inbound.test', 'b@inbound.test'],
        subject: 'Re: 不在のお知らせ',
        text: TEXT,
        threadHeaders: ['<x@inbound.test>'],
      });
    },
  );

  it('should give no sender for a From that is not an address', async () => {
    const mail = await parseInboundMail(Buffer.from('From: 山田\r\nSubject: x\r\n\r\nx'));
    expect(mail?.from).toBeNull();
  });

  it('should read the text of an HTML-only mail', async () => {
    const mail = await parseInboundMail(
      Buffer.from(
        'From: a@example.jp\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>こんにちは</p><script>x</script>',
      ),
    );
    expect(mail?.text.trim()).toBe('こんにちは');
  });
});
