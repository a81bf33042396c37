import { CalendarClosure } from '@madoguchi/calendar';
import { AuditEvent } from '@madoguchi/audit';
import { Session, User } from '@madoguchi/auth';
import { Call, CallRecordingPart } from '@madoguchi/calls';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  Incident,
  IncidentMerchant,
} from '@madoguchi/incidents';
import { OutboxJob } from '@madoguchi/mail';
import { Merchant, Site, Queue } from '@madoguchi/tenancy';
import {
  AffectedListEntry,
  AffectedListUpload,
  BulkSend,
  BulkSendItem,
  FaqPageStat,
  LeakCheckCode,
  TicketDetermination,
} from '@madoguchi/incident-response';
import {
  Attachment,
  AttachmentPart,
  BulkRun,
  BulkRunItem,
  BulkViewAlert,
  CannedResponse,
  IdempotencyKey,
  InquiryFormToken,
  Message,
  QueueMember,
  ReplyAddress,
  Rule,
  SentMailId,
  SavedView,
  Ticket,
  TicketPresence,
  UserSignature,
} from '@madoguchi/tickets';
import { RateLimitCounter } from '@madoguchi/http';
import { InboundMail } from '@madoguchi/inbound-mail';

/** Every entity of the data source, in one list that the migrations must agree with. */
export const ALL_ENTITIES = [
  Merchant,
  Site,
  User,
  Session,
  Queue,
  QueueMember,
  Ticket,
  Message,
  IdempotencyKey,
  Call,
  AuditEvent,
  OutboxJob,
  CannedResponse,
  CalendarClosure,
  Incident,
  IncidentMerchant,
  AnswerTemplate,
  AnswerTemplateVersion,
  AnswerApproval,
  RateLimitCounter,
  AffectedListUpload,
  AffectedListEntry,
  LeakCheckCode,
  BulkViewAlert,
  BulkSend,
  BulkSendItem,
  TicketDetermination,
  FaqPageStat,
  Attachment,
  AttachmentPart,
  ReplyAddress,
  SentMailId,
  InboundMail,
  SavedView,
  BulkRun,
  BulkRunItem,
  CallRecordingPart,
  InquiryFormToken,
  TicketPresence,
  UserSignature,
  Rule,
];
