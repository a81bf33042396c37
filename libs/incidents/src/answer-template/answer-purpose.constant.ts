/**
 * What an answer template is for: `answer` a general answer; `leak_included` /
 * `leak_not_included` the result of the status page's "was my data included?" check.
 */
export const ANSWER_PURPOSES = ['answer', 'leak_included', 'leak_not_included'] as const;
export type AnswerPurpose = (typeof ANSWER_PURPOSES)[number];

export const ANSWER_DECISIONS = ['approved', 'changes_requested'] as const;
export type AnswerDecision = (typeof ANSWER_DECISIONS)[number];
