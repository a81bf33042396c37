import { leakCheckCodeMail } from './leak-check-code-mail.template';

describe('leakCheckCodeMail', () => {
  it('should let the end user reply and carry the status link, never "do not reply"', () => {
    const statusUrl =
      'https://intake.example.jp/status/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
    const mail = leakCheckCodeMail({
      to: 'taro@example.jp',
      senderName: 'さくら雑貨店',
      siteName: 'さくら雑貨店',
      reference: 'K7QM-3XHD',
      code: '123456',
      validMinutes: 15,
      statusUrl,
    });
    expect(mail.text).toContain('このメールにそのまま返信して');
    expect(mail.text).toContain(statusUrl);
    expect(mail.text).not.toContain('送信専用');
  });
});
