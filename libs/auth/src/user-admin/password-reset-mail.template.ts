import type { OutgoingMail } from '@madoguchi/mail';

export interface PasswordResetMailInput {
  to: string;
  displayName: string;
  url: string;
  validMinutes: number;
}

/** The forgotten-password mail: a one-time link; nothing else about the account. */
export function passwordResetMail(input: PasswordResetMailInput): OutgoingMail {
  return {
    to: input.to,
    fromName: '窓口 Madoguchi',
    subject: '【窓口】パスワード再設定のご案内',
    text: [
      `${input.displayName} 様`,
      '',
      '窓口（Madoguchi）のパスワード再設定が依頼されました。',
      '次のリンクから新しいパスワードを設定してください。',
      input.url,
      '',
      `このリンクは一度だけ、${input.validMinutes}分間使えます。`,
      'パスワードを設定し直すと、ログイン中のすべての端末からログアウトされます。',
      '',
      '※ 心当たりのない場合は、このメールを破棄してください。パスワードは変わりません。',
    ].join('\n'),
  };
}
