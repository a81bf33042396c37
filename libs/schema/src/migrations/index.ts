import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { SessionsCannedResponsesSla1764100000000 } from './1764100000000-sessions-canned-responses-sla';
import { TelephonyCallWork1764200000000 } from './1764200000000-telephony-call-work';
import { UserInvites1764300000000 } from './1764300000000-user-invites';
import { IncidentsAnswerTemplates1764400000000 } from './1764400000000-incidents-answer-templates';
import { BulkSends1764450000000 } from './1764450000000-bulk-sends';
import { AffectedListLeakCheck1764500000000 } from './1764500000000-affected-list-leak-check';
import { QueueStatusSlaIndex1764600000000 } from './1764600000000-queue-status-sla-index';
import { RateLimitCounters1764650000000 } from './1764650000000-rate-limit-counters';
import { BulkViewAlerts1764700000000 } from './1764700000000-bulk-view-alerts';
import { AnswerProvenance1764810000000 } from './1764810000000-answer-provenance';
import { MerchantQuestionsHandBack1764820000000 } from './1764820000000-merchant-questions-hand-back';
import { FaqPageStats1764830000000 } from './1764830000000-faq-page-stats';
import { DataAtRestAccounts1764860000000 } from './1764860000000-data-at-rest-accounts';
import { TicketDeterminations1764800000000 } from './1764800000000-ticket-determinations';
import { Attachments1764900000000 } from './1764900000000-attachments';
import { MailThreading1764910000000 } from './1764910000000-mail-threading';
import { InboundMail1764920000000 } from './1764920000000-inbound-mail';
import { PriorityRank1764930000000 } from './1764930000000-priority-rank';
import { SlaPoliciesAlerts1764931000000 } from './1764931000000-sla-policies-alerts';
import { SavedViews1764950000000 } from './1764950000000-saved-views';
import { BulkActions1764951000000 } from './1764951000000-bulk-actions';
import { DuplicatesMerge1764940000000 } from './1764940000000-duplicates-merge';
import { PresenceSignature1764960000000 } from './1764960000000-presence-signature';
import { PhoneDesk1764970000000 } from './1764970000000-phone-desk';
import { IntakeRules1764980000000 } from './1764980000000-intake-rules';

/** In order; each has up and down and runs on MySQL/MariaDB and SQLite alike. */
export const ALL_MIGRATIONS = [
  InitialSchema1764000000000,
  SessionsCannedResponsesSla1764100000000,
  TelephonyCallWork1764200000000,
  UserInvites1764300000000,
  IncidentsAnswerTemplates1764400000000,
  BulkSends1764450000000,
  AffectedListLeakCheck1764500000000,
  QueueStatusSlaIndex1764600000000,
  RateLimitCounters1764650000000,
  BulkViewAlerts1764700000000,
  AnswerProvenance1764810000000,
  TicketDeterminations1764800000000,
  MerchantQuestionsHandBack1764820000000,
  FaqPageStats1764830000000,
  DataAtRestAccounts1764860000000,
  Attachments1764900000000,
  MailThreading1764910000000,
  InboundMail1764920000000,
  PriorityRank1764930000000,
  SlaPoliciesAlerts1764931000000,
  DuplicatesMerge1764940000000,
  SavedViews1764950000000,
  BulkActions1764951000000,
  PresenceSignature1764960000000,
  PhoneDesk1764970000000,
  IntakeRules1764980000000,
];
