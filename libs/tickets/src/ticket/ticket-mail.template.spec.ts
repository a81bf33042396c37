import { opensWithGreeting, replyMail } from './ticket-mail.template';

const reply = (body: string, requesterName: string | null = '山田 太郎') =>
  replyMail({
    to: 'taro@example.jp',
    senderName: 'さくら雑貨店',
    siteName: 'さくら雑貨店',
    requesterName,
    reference: 'K7QM-3XHD',
    body,
    messageId: 7,
    statusLink: { kind: 'none' },
  });

const greetings = (text: string) => text.split('\n').filter((line) => /様$/.test(line.trim()));

describe('replyMail greeting', () => {
  it('should greet the requester by name once, above the answer', () => {
    const text = reply('ご回答です。').text;
    expect(text.startsWith('山田 太郎 様\n\nご回答です。')).toBe(true);
    expect(greetings(text)).toEqual(['山田 太郎 様']);
  });

  it('should not greet twice when the agent’s text already opens with a greeting', () => {
    const text = reply('山田 太郎 様\n\nご回答です。').text;
    expect(greetings(text)).toEqual(['山田 太郎 様']);
    expect(text.startsWith('山田 太郎 様\n\nご回答です。')).toBe(true);
  });

  it('should send the answer without a greeting line when the name is unknown', () => {
    expect(reply('ご回答です。', null).text.startsWith('ご回答です。')).toBe(true);
  });
});

describe('opensWithGreeting', () => {
  it.each([
    ['山田 太郎 様\nご回答です。', true],
    ['  山田様\n', true],
    ['やまだ さま', true],
    ['ご回答です。山田 太郎 様', false],
    ['お問い合わせいただきありがとうございます。\n山田 様', false],
    ['', false],
  ])('%j → %s', (body, expected) => {
    expect(opensWithGreeting(body)).toBe(expected);
  });
});
