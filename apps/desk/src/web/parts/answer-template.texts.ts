/** An incident's answer templates and their versions, shown alike in admin and the merchant portal. */
export const ANSWER_TEMPLATE_TEXTS = {
  purposes: {
    answer: '一般の回答',
    leak_included: '照合結果: 含まれている',
    leak_not_included: '照合結果: 含まれていない',
    faq: '公開お知らせ（FAQ）',
  },
  /** Shown with a `faq` template (admin form and portal approval page); issue 13.6. */
  faqNotice:
    '「公開お知らせ（FAQ）」の回答は、加盟店が承認すると、その加盟店の各サイトの公開ページ（/s/サイト/incident）に誰でも読める形で掲載されます。差し込み項目は {{merchant}} と {{site}} だけ使えます。',
  decisions: {
    approved: '承認済み',
    changes_requested: '修正依頼',
    none: '未判断',
  },
  templateHeading: '{title}（{purpose}）',
  versionLabel: '第{version}版',
  versionCreated: '作成: {at}',
} as const;
