const EMAIL_LIKE = /[^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+/g;
// Japanese and E.164 phone numbers: +81…, 0X0-XXXX-XXXX, 03-1234-5678, 10–11 digits in a row.
const PHONE_LIKE = /(?:\+\d[\d\s-]{8,16}\d|\b0\d{1,4}[-\s]?\d{1,4}[-\s]?\d{3,4}\b)/g;
// A value a database echoes in its error: MySQL "Duplicate entry 'value' for key …".
const ECHOED_VALUE = /(Duplicate entry )'[^']*'/g;

/**
 * A line for the instance log with what could be part of a shopper's address taken out:
 * e-mail addresses, phone numbers and values a database echoes in its errors. Error messages
 * and stacks pass through it before they are logged (the error filter, the mail worker), so a
 * driver or SMTP error that quotes a row cannot carry a requester's contact into the log.
 */
export function redactPersonalData(text: string): string {
  return text
    .replace(EMAIL_LIKE, '[address]')
    .replace(ECHOED_VALUE, "$1'[value]'")
    .replace(PHONE_LIKE, '[phone]');
}
