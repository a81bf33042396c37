import type { OutgoingMail } from '@madoguchi/mail';

export interface InviteMailInput {
  to: string;
  displayName: string;
  url: string;
  expiresAt: Date;
}

const TOKYO = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** The invitation to the desk: a one-time link to set a password. */
export function inviteMail(input: InviteMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: '窓口 Madoguchi',
    subject: '【窓口】アカウントへのご招待',
    text: [
      `${input.displayName} 様`,
      '',
      '窓口（Madoguchi）のアカウントが作成されました。',
      '次のリンクからパスワードを設定してください。',
      input.url,
      '',
      `このリンクは一度だけ使えます。有効期限：${TOKYO.format(input.expiresAt)}（日本時間）`,
      'このリンクはあなた専用です。他の方に知らせないでください。',
      '',
      '※ 心当たりのない場合は、このメールを破棄してください。',
    ].join('\n'),
  };
}
