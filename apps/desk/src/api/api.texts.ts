/** Field errors of the REST API's input validation (a 400's `errors`). */
export const API_TEXTS = {
  positiveInteger: '1以上の整数で指定してください。',
  pageSize: '1〜{max}の整数で指定してください。',
  oneOf: '次のいずれかを指定してください: {values}',
  assignee: '"me"、"unassigned" または利用者IDを指定してください。',
  required: '入力してください。',
  tooLong: '{max}文字以内で入力してください。',
  version: '読み込んだときのバージョン（0以上の整数）を指定してください。',
  assigneeId: '担当者のID（整数）または null を指定してください。',
  searchQuery: '検索語を1〜{max}文字で入力してください。',
  boolean: 'true または false を指定してください。',
} as const;
