import { ValidationFailedException } from '@madoguchi/common';

/** The form field (and mail part) refusals are reported under. */
export const ATTACHMENTS_FIELD = 'attachments';

/**
 * One or more files were refused (too many, too large, a type not allowed, a broken or oversized
 * image): a 400 with a Japanese message per problem under the field `attachments`; nothing stored.
 */
export class AttachmentRefusedError extends ValidationFailedException {
  constructor(messages: readonly string[]) {
    super(
      messages.map((message) => ({ field: ATTACHMENTS_FIELD, message })),
      messages[0] ?? '添付ファイルを受け付けられませんでした。',
    );
    this.name = 'AttachmentRefusedError';
  }
}
