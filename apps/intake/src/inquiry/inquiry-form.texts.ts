import { HAND_BACK_PROMISE_TEXT } from '@madoguchi/tickets';

/**
 * The branded inquiry form and the intake's validation messages (the form, the JSON API and
 * the status page's reply share them through issue-messages.ts). `{name}`-style placeholders:
 * formatText.
 */
export const INQUIRY_FORM_TEXTS = {
  form: {
    title: 'お問い合わせフォーム',
    heading: 'お問い合わせフォーム',
    intro: [
      'このフォームは、「{siteName}」への不正アクセス事案に関するお問い合わせ専用の窓口です。',
      'お問い合わせには、{merchantName}に代わり、ショップのシステム提供事業者が設けた専用窓口の担当者が回答いたします。',
      // The same words the hand-back reply repeats to the shopper (one text, in @madoguchi/tickets).
      HAND_BACK_PROMISE_TEXT,
    ],
    expectedAnswerLabel: '回答の目安',
    cardNumberWarning:
      'クレジットカード番号・セキュリティコード・パスワードは入力しないでください。当窓口からこれらをお尋ねすることはありません。',
    categoryPlaceholder: '選択してください',
    consentHeading: '個人情報の取り扱いについて',
    consentText:
      'ご入力いただいた個人情報は、本件のお問い合わせへの回答とその記録のためにのみ利用し、回答のために{merchantName}と共有することがあります。法令に基づく場合を除き、その他の目的で第三者に提供することはありません。',
    consentLabel: '個人情報の取り扱いについて同意します',
    honeypotLabel: 'このフィールドは空のままにしてください',
    submit: '送信する',
  },

  fields: {
    name: { label: 'お名前', hint: '例: 山田 太郎' },
    email: {
      label: 'メールアドレス',
      hint: '受付確認と回答のお知らせをこのアドレスへお送りします。',
    },
    phone: { label: '電話番号', hint: '例: 090-1234-5678' },
    orderNumber: { label: 'ご注文番号', hint: 'お分かりになる場合のみご入力ください。' },
    category: { label: 'お問い合わせの種類' },
    message: { label: 'お問い合わせ内容', hint: '{max}文字以内でご入力ください。' },
    consent: { label: '個人情報の取り扱いへの同意' },
  },

  // Keyed like the issues of @madoguchi/tickets' validateInquiryInput (field, code);
  // issueMessage() does the mapping. The summary's title is shared (INTAKE_SHARED_TEXTS).
  validation: {
    name: {
      required: 'お名前を入力してください。',
      tooLong: 'お名前は{max}文字以内で入力してください。',
    },
    email: {
      required: 'メールアドレスを入力してください。',
      tooLong: 'メールアドレスは{max}文字以内で入力してください。',
      invalid: 'メールアドレスの形式が正しくありません（例: taro@example.jp）。',
    },
    phone: {
      tooLong: '電話番号は{max}文字以内で入力してください。',
      invalid:
        '電話番号の形式が正しくありません。数字とハイフンで入力してください（例: 090-1234-5678）。',
    },
    orderNumber: {
      tooLong: 'ご注文番号は{max}文字以内で入力してください。',
    },
    category: {
      required: 'お問い合わせの種類を選択してください。',
      unknown: 'お問い合わせの種類は一覧から選択してください。',
    },
    message: {
      required: 'お問い合わせ内容を入力してください。',
      tooLong: 'お問い合わせ内容は{max}文字以内で入力してください。',
    },
    consent: {
      required: '個人情報の取り扱いをご確認のうえ、同意欄にチェックを入れてください。',
    },
    // Fallbacks for fields without their own wording; {field} is the field's label or name.
    required: '{field}を入力してください。',
    tooLong: '{field}は{max}文字以内で入力してください。',
    invalidType: '{field}の形式が正しくありません。',
    invalidBody: '送信内容の形式が正しくありません。',
    unknownField: '受け付けていない項目（{field}）が含まれています。',
  },
} as const;
