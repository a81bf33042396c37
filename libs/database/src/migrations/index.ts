import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { SessionsCannedResponsesSla1764100000000 } from './1764100000000-sessions-canned-responses-sla';
import { TelephonyCallWork1764200000000 } from './1764200000000-telephony-call-work';
import { UserInvites1764300000000 } from './1764300000000-user-invites';

/** In order; each has up and down and runs on MySQL/MariaDB and SQLite alike. */
export const ALL_MIGRATIONS = [
  InitialSchema1764000000000,
  SessionsCannedResponsesSla1764100000000,
  TelephonyCallWork1764200000000,
  UserInvites1764300000000,
];
