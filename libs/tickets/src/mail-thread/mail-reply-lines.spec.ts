import { confirmationMail } from '../inquiry/confirmation-mail.template';
import { merchantQuestionMail } from '../ticket/merchant-notice-mail.template';
import { replyMail } from '../ticket/ticket-mail.template';
import { merchantReplyLines, requesterReplyLines } from './mail-reply-lines.text';

const STATUS_URL = 'https://intake.example.jp/status/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const REPLY_HINT = 'このメールにそのまま返信して';

describe('requesterReplyLines', () => {
  it('should say they can reply, and give the status link', () => {
    const text = requesterReplyLines(STATUS_URL).join('\n');
    expect(text).toContain(REPLY_HINT);
    expect(text).toContain(STATUS_URL);
  });

  it('should point to the first mail when the link is not kept', () => {
    const text = requesterReplyLines({ kind: 'in_first_mail' }).join('\n');
    expect(text).toContain(REPLY_HINT);
    expect(text).toContain('受付時にお送りしたメール');
  });

  it('should name no page for a ticket that has none (phone)', () => {
    const text = requesterReplyLines({ kind: 'none' }).join('\n');
    expect(text).toContain(REPLY_HINT);
    expect(text).not.toContain('ページ');
    expect(text).not.toContain('受付時にお送りしたメール');
  });
});

describe('the mails to an end user', () => {
  const mails = {
    confirmation: confirmationMail({
      to: 'taro@example.jp',
      senderName: 'さくら雑貨店',
      siteName: 'さくら雑貨店',
      requesterName: 'https://evil.example 山田',
      reference: 'K7QM-3XHD',
      statusUrl: STATUS_URL,
      category: 'payment',
    }),
    reply: replyMail({
      to: 'taro@example.jp',
      senderName: 'さくら雑貨店',
      siteName: 'さくら雑貨店',
      requesterName: '山田 太郎',
      reference: 'K7QM-3XHD',
      body: 'ご回答です。',
      messageId: 7,
      statusLink: { kind: 'link', url: STATUS_URL },
    }),
  };

  it.each(Object.entries(mails))(
    'should let the %s be answered, carry the status link and never say "do not reply"',
    (_, mail) => {
      expect(mail.text).toContain(REPLY_HINT);
      expect(mail.text).toContain(STATUS_URL);
      expect(mail.text).not.toContain('送信専用');
      expect(mail.text).not.toContain('返信せず');
    },
  );

  it('should keep what was typed out of the confirmation’s subject and first lines', () => {
    const { subject, text } = mails.confirmation;
    const head = [subject, ...text.split('\n').slice(0, 3)].join('\n');
    expect(head).not.toContain('山田');
    expect(text).not.toContain('https://evil.example');
  });
});

describe('the merchant question mail', () => {
  it('should say the merchant may answer by replying from a notification address, once', () => {
    const mail = merchantQuestionMail({
      to: 'notify@shop.example.jp',
      merchantName: 'さくら雑貨店',
      reference: 'K7QM-3XHD',
      category: 'payment',
      portalUrl: 'https://desk.example.jp/portal',
    });
    for (const line of merchantReplyLines()) expect(mail.text).toContain(line);
    expect(mail.text).toContain('通知先メールアドレスから返信');
  });
});
