/**
 * What an answer template is for: `answer` a general answer; `leak_included` /
 * `leak_not_included` the result of the status page's "was my data included?" check; `faq` a
 * public answer shown on the site's incident page (`/s/{site}/incident`) once the merchant
 * approved it, so its text may hold only {@link FAQ_ALLOWED_PLACEHOLDERS}.
 */
export const ANSWER_PURPOSES = ['answer', 'leak_included', 'leak_not_included', 'faq'] as const;
export type AnswerPurpose = (typeof ANSWER_PURPOSES)[number];

/** A `faq` answer is public: no ticket, no shopper, no agent, so only these are filled. */
export const FAQ_ALLOWED_PLACEHOLDERS = ['merchant', 'site'] as const;

export const ANSWER_DECISIONS = ['approved', 'changes_requested'] as const;
export type AnswerDecision = (typeof ANSWER_DECISIONS)[number];
