import { errorSummary, type ErrorSummaryItem, SafeHtml } from '@madoguchi/ui';
import { SHARED_TEXTS } from '..';

export {
  type ConsoleViewer,
  csrfField,
  noticeBox,
  renderConsolePage,
  statusBadge,
  timeTag,
} from '..';

/**
 * The error summary of the incident pages, whose forms hold fields of several forms: each
 * error links to its field by the field's id without `f-` (`t12-body`, `noticeDate_3`).
 */
export function errorSummaryOf(errors: Readonly<Record<string, string>>): SafeHtml {
  const items: ErrorSummaryItem[] = Object.entries(errors).map(([field, message]) => ({
    field,
    message,
  }));
  return errorSummary(items, SHARED_TEXTS.validation.summaryTitle);
}

/** Prefixes the keys of a form's errors with the id prefix of its fields. */
export function prefixed(
  errors: Readonly<Record<string, string>> | undefined,
  prefix: string,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors ?? {}).map(([field, message]) => [`${prefix}${field}`, message]),
  );
}
