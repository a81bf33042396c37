import type { AppConfig } from '@madoguchi/config';

/** A few shoppers' inquiries, so a fresh console has something in its queues. */
const DEMO_INQUIRIES = [
  {
    site: 'demo-a-shop',
    body: {
      name: '山田 花子',
      email: 'hanako.yamada@example.jp',
      phone: '090-1234-5678',
      orderNumber: 'A-100231',
      category: 'leak_check',
      message:
        '通知メールを受け取りました。私のカード情報も流出した対象に含まれているか確認したいです。',
      consent: true,
    },
  },
  {
    site: 'demo-a-outlet',
    body: {
      name: '佐藤 一郎',
      email: 'ichiro.sato@example.jp',
      category: 'suspicious_contact',
      message:
        '昨日、ショップを名乗る番号から電話があり、カード番号を聞かれました。本物でしょうか。',
      consent: true,
    },
  },
  {
    site: 'demo-b-shop',
    body: {
      name: '鈴木 美咲',
      email: 'misaki.suzuki@example.jp',
      phone: '03-1234-5678',
      category: 'password',
      message: 'パスワードを変更したほうがよいですか。ログインできなくなりました。',
      consent: true,
    },
  },
] as const;

/**
 * Sends the demo inquiries through the intake's own JSON API, the path a shopper's takes
 * (encryption, outbox, audit), once the apps listen. Only right after seeding.
 */
export async function sendDemoInquiries(config: AppConfig): Promise<number> {
  let sent = 0;
  for (const { site, body } of DEMO_INQUIRIES) {
    const response = await fetch(
      `http://127.0.0.1:${config.http.intakePort}/api/v1/sites/${site}/inquiries`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    if (response.status === 201) sent++;
    else console.error(`demo inquiry for ${site} was refused: ${response.status}`);
  }
  return sent;
}
