import { CalendarClosure } from '@madoguchi/calendar';
import { AuditEvent } from '@madoguchi/audit';
import { Session, User } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { OutboxJob } from '@madoguchi/mail';
import { Merchant, Site } from '@madoguchi/tenancy';
import {
  CannedResponse,
  IdempotencyKey,
  Message,
  Queue,
  QueueMember,
  Ticket,
} from '@madoguchi/tickets';

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
];
