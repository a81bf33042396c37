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
    // status_token: sealed beside its hash, so every mail repeats the status link (issue 14).
    columns: [
      'requester_name',
      'requester_email',
      'requester_phone',
      'order_number',
      'status_token',
    ],
  },
  { table: 'messages', primaryKey: 'id', columns: ['body', 'answer_diff'] },
  { table: 'idempotency_keys', primaryKey: 'id', columns: ['response'] },
  {
    table: 'calls',
    primaryKey: 'id',
    // callback_note: an agent's note on a callback attempt may name the caller (issue 15).
    columns: ['from_number', 'recording_sid', 'recording_url', 'callback_note'],
  },
  // A voicemail kept in the desk (issue 15): the audio as sealed base64 slices of 32 KiB.
  { table: 'call_recording_parts', primaryKey: 'id', columns: ['content'] },
  { table: 'outbox_jobs', primaryKey: 'id', columns: ['payload'] },
  // The reply address's token and a sent mail's Message-ID, kept to repeat them (issue 14).
  { table: 'reply_addresses', primaryKey: 'id', columns: ['token'] },
  { table: 'sent_mail_ids', primaryKey: 'id', columns: ['message_id_header'] },
  // An agent's reason for a determination may name the order, the call, the person (issue 13.1).
  { table: 'ticket_determinations', primaryKey: 'id', columns: ['reason'] },
  { table: 'users', primaryKey: 'id', columns: ['totp_secret'] },
  { table: 'sessions', primaryKey: 'id', columns: ['pending_totp_secret'] },
  // Attachments (issue 14): the file name, and the bytes as sealed base64 slices of 32 KiB.
  { table: 'attachments', primaryKey: 'id', columns: ['filename'] },
  { table: 'attachment_parts', primaryKey: 'id', columns: ['content'] },
];
