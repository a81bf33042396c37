/** One table's columns that hold FieldCipher values (`enc1:<keyId>:…`), by database name. */
export interface EncryptedTable {
  table: string;
  /** The primary key (an integer) the key rotation pages and updates by. */
  primaryKey: 'id';
  columns: readonly string[];
}

/**
 * Every column FieldCipher writes, in one list: the key rotation re-encrypts exactly these, and
 * the plaintext-at-rest test checks that no other column of the schema holds a sealed value (so
 * a new encrypted column that is missing here fails the suite instead of escaping rotation).
 */
export const ENCRYPTED_COLUMNS: readonly EncryptedTable[] = [
  {
    table: 'tickets',
    primaryKey: 'id',
    columns: ['requester_name', 'requester_email', 'requester_phone', 'order_number'],
  },
  { table: 'messages', primaryKey: 'id', columns: ['body', 'answer_diff'] },
  { table: 'idempotency_keys', primaryKey: 'id', columns: ['response'] },
  {
    table: 'calls',
    primaryKey: 'id',
    columns: ['from_number', 'recording_sid', 'recording_url'],
  },
  { table: 'outbox_jobs', primaryKey: 'id', columns: ['payload'] },
  // An agent's reason for a determination may name the order, the call, the person (issue 13.1).
  { table: 'ticket_determinations', primaryKey: 'id', columns: ['reason'] },
  { table: 'users', primaryKey: 'id', columns: ['totp_secret'] },
  { table: 'sessions', primaryKey: 'id', columns: ['pending_totp_secret'] },
];
