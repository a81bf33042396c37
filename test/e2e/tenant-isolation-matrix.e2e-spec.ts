import { createHash } from 'node:crypto';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { User, type UserRole } from '@madoguchi/auth';
import { Call } from '@madoguchi/calls';
import { registeredRoutes } from '@madoguchi/http';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  Incident,
  IncidentMerchant,
} from '@madoguchi/incidents';
import { BulkSend } from '@madoguchi/incident-response';
import { AttachmentService, CannedResponse, Message, Ticket } from '@madoguchi/tickets';
import { createTestUser, type LoggedIn, loginAs, startDeskApp } from '../support/desk-test-app';
import { startIntakeApp, VALID_INQUIRY } from '../support/intake-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';
import { createTestTenant, type TestTenant } from '../support/test-tenant';

/**
 * Issues 5 and 6: a merchant user never reaches another merchant's data by any route, HTML, API
 * or live stream. The desk's own route table drives the matrix: every registered route must be
 * classified in ROUTE_CLASSES (at the end of the tables), or the route-table test fails, so a new
 * route cannot escape. Merchant A's users try every identifier-taking route with merchant B's
 * identifiers: a route a merchant may use answers 404; a route closed to merchant roles may
 * answer 403, but only the same 403 it gives for an identifier that does not exist; and the
 * database is unchanged. List, search and create routes answer without any of B's data and
 * leave B's rows as they were. Staff routes refuse merchant users and write nothing. Adding a
 * route is one line in ROUTE_CLASSES (and, for an identifier or list route, one case in the
 * tables below).
 */

const B_MERCHANT_NAME = 'もみじ秘匿商店';
const B_REQUESTER = '秘匿 二郎';
const B_EMAIL = 'momiji-secret@example.jp';
const B_CANNED_TITLE = 'もみじ専用テンプレート';
const B_CALL_SID = 'CA-isolation-b-0001';
const B_INCIDENT_TITLE = 'もみじ秘匿インシデント';
const B_ANSWER_TITLE = 'もみじ専用の承認済み回答';
const MISSING_REFERENCE = 'ZZZZ-ZZZZ';
const MISSING_ID = 987654;

/** B's identifiers, or identifiers that exist nowhere: a route must not tell them apart. */
interface Ids {
  reference: string;
  callId: number;
  queueId: number;
  cannedId: number;
  userId: number;
  merchantId: number;
  version: number;
  /** Incident mode (8A): an incident that affects B only, its answer template and version. */
  incidentId: number;
  templateId: number;
  answerVersionId: number;
  /** Bulk sends: a finished run of B's approved answer to B's tickets. */
  bulkSendId: number;
  /** Issue 13.2: B's reply that went out as an edited approved answer. */
  replyMessageId: number;
  /** Issue 14: a file on B's inquiry. */
  attachmentId: number;
}

type Kind = 'html' | 'api';
type Method = 'get' | 'post' | 'patch' | 'delete';

interface RouteCase {
  method: Method;
  kind: Kind;
  path: (ids: Ids) => string;
  body?: (ids: Ids) => Record<string, unknown>;
}

const TICKET_ROUTES: Array<[string, RouteCase]> = [
  // The merchant portal.
  [
    'GET /portal/cases/:reference',
    { method: 'get', kind: 'html', path: (i) => `/portal/cases/${i.reference}` },
  ],
  [
    'POST /portal/cases/:reference/answer',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/cases/${i.reference}/answer`,
      body: (i) => ({ body: '横取りの回答', version: String(i.version) }),
    },
  ],
  // The desk console pages.
  [
    'GET /tickets/:reference',
    { method: 'get', kind: 'html', path: (i) => `/tickets/${i.reference}` },
  ],
  [
    'GET /tickets/:reference?canned=:id',
    { method: 'get', kind: 'html', path: (i) => `/tickets/${i.reference}?canned=${i.cannedId}` },
  ],
  [
    'POST /tickets/:reference/replies',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/replies`,
      body: (i) => ({ body: '横取りの返信', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/notes',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/notes`,
      body: (i) => ({ body: '横取りのメモ', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/merchant-questions',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/merchant-questions`,
      body: (i) => ({ body: '横取りの確認事項', version: String(i.version) }),
    },
  ],
  [
    'POST /portal/cases/:reference/contact',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/cases/${i.reference}/contact`,
      body: (i) => ({ version: String(i.version) }),
    },
  ],
  [
    'POST /portal/cases/:reference/hand-back-answered',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/cases/${i.reference}/hand-back-answered`,
      body: (i) => ({ version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/status',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/status`,
      body: (i) => ({ status: 'closed', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/properties',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/properties`,
      body: (i) => ({ category: 'other', priority: 'high', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/assignment',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/assignment`,
      body: (i) => ({ assignee: 'me', version: String(i.version) }),
    },
  ],
  [
    'POST /tickets/:reference/hand-back',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/hand-back`,
      body: (i) => ({ confirm: 'yes', version: String(i.version) }),
    },
  ],
  // The REST API.
  [
    'GET /api/v1/tickets/:reference',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/tickets/${i.reference}` },
  ],
  [
    'POST /api/v1/tickets/:reference/replies',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/replies`,
      body: (i) => ({ body: '横取りの返信', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/notes',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/notes`,
      body: (i) => ({ body: '横取りのメモ', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/status',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/status`,
      body: (i) => ({ status: 'closed', version: i.version }),
    },
  ],
  [
    'PATCH /api/v1/tickets/:reference',
    {
      method: 'patch',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}`,
      body: (i) => ({ priority: 'high', version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/assign',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/assign`,
      body: (i) => ({ assigneeId: null, version: i.version }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/hand-back',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/hand-back`,
      body: (i) => ({ version: i.version }),
    },
  ],
  [
    'GET /api/v1/tickets/:reference/canned-responses/:id/rendered',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/canned-responses/${i.cannedId}/rendered`,
    },
  ],
  // Issue 15: presence and the call note of a ticket without email.
  [
    'POST /api/v1/tickets/:reference/presence',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/presence`,
      body: () => ({ state: 'writing' }),
    },
  ],
  [
    'GET /api/v1/tickets/:reference/presence',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/tickets/${i.reference}/presence` },
  ],
  [
    'POST /tickets/:reference/call-notes',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/call-notes`,
      body: (i) => ({ body: '横取りの記録', version: String(i.version) }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/call-notes',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/call-notes`,
      body: (i) => ({ body: '横取りの記録', version: i.version }),
    },
  ],
  // Determinations (issue 13.1): B's ticket is 404 to A's users, with a valid body.
  [
    'POST /tickets/:reference/determinations',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/determinations`,
      body: () => ({ outcome: 'included', reason: '横取りの判定' }),
    },
  ],
  [
    'GET /api/v1/tickets/:reference/determinations',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/determinations`,
    },
  ],
  [
    'POST /api/v1/tickets/:reference/determinations',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/determinations`,
      body: () => ({ outcome: 'not_included', reason: '横取りの判定' }),
    },
  ],
  [
    'GET /api/v1/tickets/:reference/approved-answers',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/approved-answers`,
    },
  ],
  [
    'GET /tickets/:reference?answer=:versionId',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}?answer=${i.answerVersionId}`,
    },
  ], // Issue 15: merging B's ticket (into itself or any other) is 404 to A's users.
  [
    'POST /tickets/:reference/merge',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/merge`,
      body: (i) => ({
        into: i.reference,
        version: String(i.version),
        intoVersion: String(i.version),
      }),
    },
  ],
  [
    'POST /api/v1/tickets/:reference/merge',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/tickets/${i.reference}/merge`,
      body: (i) => ({ into: i.reference, confirmUnrelated: true }),
    },
  ],
];

const OTHER_ROUTES: Array<[string, RouteCase]> = [
  // Queues.
  ['GET /queues/:id', { method: 'get', kind: 'html', path: (i) => `/queues/${i.queueId}` }],
  [
    'POST /queues/:id/take-next',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/queues/${i.queueId}/take-next`,
      body: () => ({}),
    },
  ],
  [
    'GET /api/v1/queues/:id/tickets',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/queues/${i.queueId}/tickets` },
  ],
  [
    'POST /api/v1/queues/:id/take-next',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/queues/${i.queueId}/take-next`,
      body: () => ({}),
    },
  ],
  // Canned responses.
  [
    'GET /canned-responses/:id/edit',
    { method: 'get', kind: 'html', path: (i) => `/canned-responses/${i.cannedId}/edit` },
  ],
  [
    'POST /canned-responses/:id',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/canned-responses/${i.cannedId}`,
      body: () => ({ title: '書き換え', body: '書き換えた本文' }),
    },
  ],
  [
    'POST /canned-responses/:id/delete',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/canned-responses/${i.cannedId}/delete`,
      body: () => ({}),
    },
  ],
  [
    'PATCH /api/v1/canned-responses/:id',
    {
      method: 'patch',
      kind: 'api',
      path: (i) => `/api/v1/canned-responses/${i.cannedId}`,
      body: () => ({ title: '書き換え', body: '書き換えた本文' }),
    },
  ],
  [
    'DELETE /api/v1/canned-responses/:id',
    { method: 'delete', kind: 'api', path: (i) => `/api/v1/canned-responses/${i.cannedId}` },
  ],
  // Calls.
  ['GET /calls/:id', { method: 'get', kind: 'html', path: (i) => `/calls/${i.callId}` }],
  [
    'POST /calls/:id/wrap-up',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/calls/${i.callId}/wrap-up`,
      body: (i) => ({
        mode: 'link',
        summary: '横取り',
        merchantId: String(i.merchantId),
        category: 'other',
        reference: i.reference,
      }),
    },
  ],
  [
    'POST /calls/:id/callback-done',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/calls/${i.callId}/callback-done`,
      body: () => ({}),
    },
  ],
  [
    'GET /api/v1/calls/:id',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls/${i.callId}` },
  ],
  // The phone desk (issue 15): callbacks claimed and tried, recordings played.
  [
    'POST /calls/:id/claim',
    { method: 'post', kind: 'html', path: (i) => `/calls/${i.callId}/claim`, body: () => ({}) },
  ],
  [
    'POST /calls/:id/callback-attempt',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/calls/${i.callId}/callback-attempt`,
      body: () => ({ outcome: 'reached', note: '横取り' }),
    },
  ],
  [
    'GET /calls/:id/recording',
    { method: 'get', kind: 'html', path: (i) => `/calls/${i.callId}/recording` },
  ],
  [
    'POST /api/v1/calls/:id/claim',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/claim`,
      body: () => ({}),
    },
  ],
  [
    'POST /api/v1/calls/:id/callback-attempts',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/callback-attempts`,
      body: () => ({ outcome: 'reached', note: '横取り' }),
    },
  ],
  [
    'GET /api/v1/calls/:id/recording',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls/${i.callId}/recording` },
  ],
  // Attachments (issue 14).
  [
    'GET /api/v1/attachments/:id',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/attachments/${i.attachmentId}` },
  ],
  [
    'GET /tickets/:reference/attachments/:id',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/tickets/${i.reference}/attachments/${i.attachmentId}`,
    },
  ],
  [
    'GET /portal/cases/:reference/attachments/:id',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/cases/${i.reference}/attachments/${i.attachmentId}`,
    },
  ],
  [
    'POST /api/v1/calls/:id/wrap-up',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/wrap-up`,
      body: (i) => ({
        mode: 'link',
        summary: '横取り',
        merchantId: i.merchantId,
        category: 'other',
        reference: i.reference,
      }),
    },
  ],
  [
    'POST /api/v1/calls/:id/callback-done',
    {
      method: 'post',
      kind: 'api',
      path: (i) => `/api/v1/calls/${i.callId}/callback-done`,
      body: () => ({}),
    },
  ],
  // Users of the portal.
  [
    'POST /portal/users/:id/disable',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/users/${i.userId}/disable`,
      body: () => ({}),
    },
  ],
  [
    'GET /portal/users/:id/disable/confirm',
    { method: 'get', kind: 'html', path: (i) => `/portal/users/${i.userId}/disable/confirm` },
  ],
  [
    'POST /portal/users/:id/enable',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/users/${i.userId}/enable`,
      body: () => ({}),
    },
  ],
  [
    'POST /portal/users/:id/resend-invite',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/users/${i.userId}/resend-invite`,
      body: () => ({}),
    },
  ],
  // Incident mode (8A): B's incident, template and answer version.
  [
    'GET /portal/incidents/:id',
    { method: 'get', kind: 'html', path: (i) => `/portal/incidents/${i.incidentId}` },
  ],
  [
    'GET /portal/incidents/templates/:templateId/outdated',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/incidents/templates/${i.templateId}/outdated`,
    },
  ],
  [
    'POST /portal/incidents/versions/:versionId/decision',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/incidents/versions/${i.answerVersionId}/decision`,
      body: () => ({ decision: 'approved' }),
    },
  ],
  [
    'GET /portal/incidents/versions/:versionId/decision/confirm',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/incidents/versions/${i.answerVersionId}/decision/confirm`,
    },
  ],
  [
    'POST /portal/incidents/versions/:versionId/decision (changes, no comment)',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/incidents/versions/${i.answerVersionId}/decision`,
      body: () => ({ decision: 'changes_requested', comment: '' }),
    },
  ],
  // Issue 13.2: the diff of B's edited approved reply (message text: an audited view).
  [
    'GET /portal/incidents/replies/:messageId/diff',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/incidents/replies/${i.replyMessageId}/diff`,
    },
  ],
  // The incident report (13.7): B's incident id in the path (page and CSV).
  [
    'GET /portal/incidents/:id/report',
    { method: 'get', kind: 'html', path: (i) => `/portal/incidents/${i.incidentId}/report` },
  ],
  [
    'GET /portal/incidents/:id/report.csv',
    { method: 'get', kind: 'html', path: (i) => `/portal/incidents/${i.incidentId}/report.csv` },
  ],
  // Affected-customer lists (8B): B's incident id in the path.
  [
    'GET /portal/affected-lists/:incidentId',
    { method: 'get', kind: 'html', path: (i) => `/portal/affected-lists/${i.incidentId}` },
  ],
  [
    'POST /portal/affected-lists/:incidentId',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/affected-lists/${i.incidentId}`,
      body: () => ({ mode: 'replace' }),
    },
  ],
  // Bulk sends: B's run.
  [
    'GET /portal/bulk-sends/:id',
    { method: 'get', kind: 'html', path: (i) => `/portal/bulk-sends/${i.bulkSendId}` },
  ],
  [
    'POST /portal/bulk-sends/:id/cancel',
    {
      method: 'post',
      kind: 'html',
      path: (i) => `/portal/bulk-sends/${i.bulkSendId}/cancel`,
      body: () => ({}),
    },
  ],
];

/** List, search and create routes that take B's identifier as a filter or a field. */
const FILTER_ROUTES: Array<[string, RouteCase]> = [
  // Issue 15: B's ticket is never listed with its presence, whoever asks.
  [
    'GET /api/v1/presence',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/presence?reference=${encodeURIComponent(i.reference)}`,
    },
  ],
  ['GET /portal', { method: 'get', kind: 'html', path: () => '/portal' }],
  ['GET /portal/bulk-sends', { method: 'get', kind: 'html', path: () => '/portal/bulk-sends' }],
  [
    'GET /portal/bulk-sends/new?merchantId=B',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/bulk-sends/new?merchantId=${i.merchantId}&templateId=${i.templateId}`,
    },
  ],
  [
    'GET /portal/bulk-sends/preview?merchantId=B',
    {
      method: 'get',
      kind: 'html',
      path: (i) =>
        `/portal/bulk-sends/preview?merchantId=${i.merchantId}&templateId=${i.templateId}&selection=incident_open`,
    },
  ],
  [
    'POST /portal/bulk-sends (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/bulk-sends',
      body: (i) => ({
        merchantId: String(i.merchantId),
        templateId: String(i.templateId),
        selection: 'incident_open',
        expectedCount: '1',
      }),
    },
  ],
  ['GET /portal/incidents', { method: 'get', kind: 'html', path: () => '/portal/incidents' }],
  [
    'GET /portal/affected-lists',
    { method: 'get', kind: 'html', path: () => '/portal/affected-lists' },
  ],
  [
    'GET /portal/cases?incident=B',
    {
      method: 'get',
      kind: 'html',
      path: (i) => `/portal/cases?incident=${i.incidentId}&status=all`,
    },
  ],
  [
    'GET /api/v1/tickets?incident=B',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/tickets?incident=${i.incidentId}&status=new,open,pending_merchant`,
    },
  ],
  [
    'GET /portal/cases',
    { method: 'get', kind: 'html', path: () => '/portal/cases?status=&page=1' },
  ],
  ['GET /portal/handbacks', { method: 'get', kind: 'html', path: () => '/portal/handbacks' }],
  [
    'GET /portal/handbacks?state=answered',
    { method: 'get', kind: 'html', path: () => '/portal/handbacks?state=answered' },
  ],
  [
    'GET /portal/cases?q=reference',
    { method: 'get', kind: 'html', path: (i) => `/portal/cases?q=${i.reference}` },
  ],
  [
    'GET /portal/cases?q=email',
    {
      method: 'get',
      kind: 'html',
      path: () => `/portal/cases?q=${encodeURIComponent(B_EMAIL)}`,
    },
  ],
  [
    'GET /portal/stats?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/stats?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/access-log?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/access-log?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/users?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/users?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/settings?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/settings?merchantId=${i.merchantId}` },
  ],
  [
    'GET /portal/export?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/portal/export?merchantId=${i.merchantId}` },
  ],
  [
    'GET /?merchantId=B (queue home)',
    { method: 'get', kind: 'html', path: (i) => `/?merchantId=${i.merchantId}` },
  ],
  [
    'GET /search?q=reference',
    { method: 'get', kind: 'html', path: (i) => `/search?q=${i.reference}` },
  ],
  ['GET /canned-responses', { method: 'get', kind: 'html', path: () => '/canned-responses' }],
  [
    'GET /calls?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls?merchantId=${i.merchantId}` },
  ],
  [
    'GET /calls/log?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls/log?merchantId=${i.merchantId}` },
  ],
  [
    'GET /calls/stats?merchantId=B',
    { method: 'get', kind: 'html', path: (i) => `/calls/stats?merchantId=${i.merchantId}` },
  ],
  ['GET /calls/callbacks', { method: 'get', kind: 'html', path: () => '/calls/callbacks' }],
  [
    'GET /api/v1/tickets?queue=B',
    {
      method: 'get',
      kind: 'api',
      path: (i) =>
        `/api/v1/tickets?queue=${i.queueId}&status=new,open,pending_customer,pending_merchant,resolved,closed,handed_back`,
    },
  ],
  [
    'GET /api/v1/tickets (all statuses)',
    {
      method: 'get',
      kind: 'api',
      path: () =>
        '/api/v1/tickets?pageSize=100&status=new,open,pending_customer,pending_merchant,resolved,closed,handed_back',
    },
  ],
  [
    'GET /api/v1/tickets/search?q=reference',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/tickets/search?q=${i.reference}` },
  ],
  [
    'GET /api/v1/tickets/search?q=email',
    {
      method: 'get',
      kind: 'api',
      path: () => `/api/v1/tickets/search?q=${encodeURIComponent(B_EMAIL)}`,
    },
  ],
  ['GET /api/v1/queues', { method: 'get', kind: 'api', path: () => '/api/v1/queues' }],
  [
    'GET /api/v1/canned-responses?merchantId=B',
    {
      method: 'get',
      kind: 'api',
      path: (i) => `/api/v1/canned-responses?merchantId=${i.merchantId}`,
    },
  ],
  [
    'GET /api/v1/calls?merchantId=B',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls?merchantId=${i.merchantId}` },
  ],
  [
    'GET /api/v1/calls/waiting',
    { method: 'get', kind: 'api', path: () => '/api/v1/calls/waiting' },
  ],
  [
    'GET /api/v1/calls/callbacks',
    { method: 'get', kind: 'api', path: () => '/api/v1/calls/callbacks' },
  ],
  [
    'GET /api/v1/calls/stats?merchantId=B',
    { method: 'get', kind: 'api', path: (i) => `/api/v1/calls/stats?merchantId=${i.merchantId}` },
  ],
  ['GET /api/v1/auth/me', { method: 'get', kind: 'api', path: () => '/api/v1/auth/me' }],
  [
    'POST /portal/export (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/export',
      body: (i) => ({
        password: 'correct horse battery staple',
        from: '',
        to: '',
        merchantId: String(i.merchantId),
      }),
    },
  ],
  [
    'POST /portal/access-log/export (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/access-log/export',
      body: (i) => ({
        password: 'correct horse battery staple',
        from: '',
        to: '',
        action: '',
        merchantId: String(i.merchantId),
      }),
    },
  ],
  [
    'POST /portal/users/totp-requirement (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/users/totp-requirement',
      // Off (no checkbox): turning it on for A would send A's own sessions to the enrolment
      // page in the cases that follow; B's row must stay as it is either way.
      body: (i) => ({ merchantId: String(i.merchantId) }),
    },
  ],
  [
    'POST /portal/users (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/users',
      body: (i) => ({
        email: 'planted@users.test',
        displayName: '植え込み',
        role: 'merchant_viewer',
        merchantId: String(i.merchantId),
      }),
    },
  ],
  [
    'POST /portal/settings (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/settings',
      body: (i) => ({
        merchantId: String(i.merchantId),
        notificationEmails: 'planted@merchant.test',
      }),
    },
  ],
  [
    'POST /portal/settings/review (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/portal/settings/review',
      body: (i) => ({
        merchantId: String(i.merchantId),
        notificationEmails: 'planted@merchant.test',
        allowedIpRanges: '',
      }),
    },
  ],
  [
    'POST /canned-responses (merchantId=B in the form)',
    {
      method: 'post',
      kind: 'html',
      path: () => '/canned-responses',
      body: (i) => ({ title: '植え込み', body: '植え込み本文', merchantId: String(i.merchantId) }),
    },
  ],
  [
    'POST /api/v1/canned-responses (merchantId=B)',
    {
      method: 'post',
      kind: 'api',
      path: () => '/api/v1/canned-responses',
      body: (i) => ({ title: '植え込み', body: '植え込み本文', merchantId: i.merchantId }),
    },
  ],
];

const ROUTES = [...TICKET_ROUTES, ...OTHER_ROUTES];
const MERCHANT_ROLES: UserRole[] = ['merchant_admin', 'merchant_viewer'];

/**
 * What a route exposes, which decides how the matrix tries it:
 * - `identifier`: takes a merchant-owned identifier (path, query or body); needs a case in
 *   TICKET_ROUTES or OTHER_ROUTES: B's identifier → 404 (or the role refusal a missing one gets),
 *   nothing written;
 * - `list`: lists, searches, exports or creates within the caller's scope; needs a case in
 *   FILTER_ROUTES: none of B's data in the answer, nothing of B changed;
 * - `staff`: operator staff only; tried generically (B's identifiers in the path, B's merchant
 *   in the body): merchant users get 403 or 404 and nothing is written;
 * - `self`: the caller's own session or account; tried with a fresh session: no 5xx, none of B's
 *   data, nothing written but the caller's own session;
 * - `live`: the Server-Sent Events stream: a change in B's queue never reaches A's stream;
 * - `public`: no session (login, health, static files, the API description, invitation links):
 *   tried without a cookie: no 5xx, none of B's data, nothing written.
 */
type RouteClass = 'identifier' | 'list' | 'staff' | 'self' | 'live' | 'public';

/** Every route of the desk, keyed `METHOD /path` exactly as Fastify registers it. */
const ROUTE_CLASSES: Record<string, RouteClass> = {
  // Public.
  'GET /healthz': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /invite/:token': 'public',
  'POST /invite/:token': 'public',
  'GET /password/forgot': 'public',
  'POST /password/forgot': 'public',
  'GET /password/reset/:token': 'public',
  'POST /password/reset/:token': 'public',
  'GET /assets/ui.css': 'public',
  'GET /assets/favicon.svg': 'public',
  'GET /assets/console.css': 'public',
  'GET /assets/console.js': 'public',
  'GET /assets/console-voice.js': 'public',
  'GET /assets/twilio-voice.min.js': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs-json': 'public',
  'GET /api/docs/docs-init.js': 'public',
  'GET /api/docs/swagger-ui.css': 'public',
  'GET /api/docs/swagger-ui-bundle.js': 'public',
  // The caller's own session and account.
  'POST /logout': 'self',
  'POST /api/v1/auth/logout': 'self',
  'GET /account/totp': 'self',
  'POST /account/totp': 'self',
  'GET /account/password': 'self',
  'POST /account/password': 'self',
  // Live updates.
  'GET /api/v1/events': 'live',
  // Tickets (console, portal, API).
  'GET /tickets/:reference': 'identifier',
  'POST /tickets/:reference/replies': 'identifier',
  'POST /tickets/:reference/notes': 'identifier',
  'POST /tickets/:reference/merchant-questions': 'identifier',
  'POST /portal/cases/:reference/contact': 'identifier',
  'POST /portal/cases/:reference/hand-back-answered': 'identifier',
  'POST /tickets/:reference/status': 'identifier',
  'POST /tickets/:reference/properties': 'identifier',
  'POST /tickets/:reference/assignment': 'identifier',
  'POST /tickets/:reference/hand-back': 'identifier',
  // Issue 15: the merge (the pick and confirm pages need ticket.work: 403 to merchant users).
  'POST /tickets/:reference/merge': 'identifier',
  'POST /api/v1/tickets/:reference/merge': 'identifier',
  'GET /tickets/:reference/merge': 'staff',
  'GET /portal/cases/:reference': 'identifier',
  'POST /portal/cases/:reference/answer': 'identifier',
  'GET /api/v1/tickets/:reference': 'identifier',
  'POST /api/v1/tickets/:reference/replies': 'identifier',
  'POST /api/v1/tickets/:reference/notes': 'identifier',
  'POST /api/v1/tickets/:reference/status': 'identifier',
  'PATCH /api/v1/tickets/:reference': 'identifier',
  'POST /api/v1/tickets/:reference/assign': 'identifier',
  'POST /api/v1/tickets/:reference/hand-back': 'identifier',
  'GET /api/v1/tickets/:reference/canned-responses/:id/rendered': 'identifier',
  // Issue 15: presence, the call note, the reply signature.
  'POST /api/v1/tickets/:reference/presence': 'identifier',
  'GET /api/v1/tickets/:reference/presence': 'identifier',
  'GET /api/v1/presence': 'list',
  'POST /tickets/:reference/call-notes': 'identifier',
  'POST /api/v1/tickets/:reference/call-notes': 'identifier',
  'GET /account/signature': 'staff',
  'POST /account/signature': 'staff',
  // Queues, canned responses, calls, the portal's users.
  'GET /queues/:id': 'identifier',
  'POST /queues/:id/take-next': 'identifier',
  'GET /api/v1/queues/:id/tickets': 'identifier',
  'POST /api/v1/queues/:id/take-next': 'identifier',
  'GET /canned-responses/:id/edit': 'identifier',
  'POST /canned-responses/:id': 'identifier',
  'POST /canned-responses/:id/delete': 'identifier',
  'PATCH /api/v1/canned-responses/:id': 'identifier',
  'DELETE /api/v1/canned-responses/:id': 'identifier',
  'GET /calls/:id': 'identifier',
  'POST /calls/:id/wrap-up': 'identifier',
  'POST /calls/:id/callback-done': 'identifier',
  'GET /api/v1/calls/:id': 'identifier',
  'POST /calls/:id/claim': 'identifier',
  'POST /calls/:id/callback-attempt': 'identifier',
  'GET /calls/:id/recording': 'identifier',
  'POST /api/v1/calls/:id/claim': 'identifier',
  'POST /api/v1/calls/:id/callback-attempts': 'identifier',
  'GET /api/v1/calls/:id/recording': 'identifier',
  'POST /calls/availability': 'self',
  'PUT /api/v1/calls/availability': 'self',
  'GET /api/v1/calls/window': 'staff',
  'GET /api/v1/attachments/:id': 'identifier',
  'GET /tickets/:reference/attachments/:id': 'identifier',
  'GET /portal/cases/:reference/attachments/:id': 'identifier',
  'POST /api/v1/calls/:id/wrap-up': 'identifier',
  'POST /api/v1/calls/:id/callback-done': 'identifier',
  'POST /portal/users/:id/disable': 'identifier',
  'GET /portal/users/:id/disable/confirm': 'identifier',
  'POST /portal/users/:id/enable': 'identifier',
  'POST /portal/users/:id/resend-invite': 'identifier',
  'GET /api/v1/tickets/:reference/approved-answers': 'identifier',
  'POST /tickets/:reference/determinations': 'identifier',
  'GET /api/v1/tickets/:reference/determinations': 'identifier',
  'POST /api/v1/tickets/:reference/determinations': 'identifier',
  'GET /portal/incidents/:id': 'identifier',
  'GET /portal/incidents/replies/:messageId/diff': 'identifier',
  'GET /portal/incidents/templates/:templateId/outdated': 'identifier',
  'POST /portal/incidents/versions/:versionId/decision': 'identifier',
  'GET /portal/incidents/versions/:versionId/decision/confirm': 'identifier',
  'GET /portal/incidents': 'list',
  'GET /portal/affected-lists/:incidentId': 'identifier',
  'GET /portal/incidents/:id/report': 'identifier',
  'GET /portal/incidents/:id/report.csv': 'identifier',
  'GET /supervisor/incidents/:id/report': 'staff',
  'GET /supervisor/incidents/:id/report.csv': 'staff',
  'POST /portal/affected-lists/:incidentId': 'identifier',
  'GET /portal/affected-lists': 'list',
  // Lists, searches, exports and creation within one's scope.
  'GET /': 'list',
  'GET /search': 'list',
  'GET /portal': 'list',
  'GET /portal/cases': 'list',
  'GET /portal/handbacks': 'list',
  'GET /portal/access-log': 'list',
  'GET /portal/settings': 'list',
  'POST /portal/settings': 'list',
  'POST /portal/settings/review': 'list',
  'GET /portal/users': 'list',
  'POST /portal/users': 'list',
  'POST /portal/users/totp-requirement': 'list',
  'GET /portal/stats': 'list',
  'GET /portal/export': 'list',
  'POST /portal/export': 'list',
  'POST /portal/access-log/export': 'list',
  'GET /canned-responses': 'list',
  'POST /canned-responses': 'list',
  'GET /calls': 'list',
  'GET /calls/log': 'list',
  'GET /calls/stats': 'list',
  'GET /calls/callbacks': 'list',
  'GET /api/v1/auth/me': 'list',
  'GET /api/v1/tickets': 'list',
  'GET /api/v1/tickets/search': 'list',
  'GET /api/v1/queues': 'list',
  'GET /api/v1/canned-responses': 'list',
  'POST /api/v1/canned-responses': 'list',
  'GET /api/v1/calls': 'list',
  'GET /api/v1/calls/waiting': 'list',
  'GET /api/v1/calls/callbacks': 'list',
  'GET /api/v1/calls/stats': 'list',
  // Operator staff only.
  'POST /api/v1/calls/voice-token': 'staff',
  // Bulk actions and saved views (issue 15): ticket.work, tickets read through the staff scope.
  'POST /bulk-actions': 'staff',
  'GET /bulk-actions/:id': 'staff',
  'POST /bulk-actions/:id/run': 'staff',
  'GET /views/:key': 'staff',
  'POST /views': 'staff',
  'POST /views/:id/delete': 'staff',
  'POST /api/v1/bulk-actions': 'staff',
  'GET /api/v1/bulk-actions/:id': 'staff',
  'POST /api/v1/bulk-actions/:id/run': 'staff',
  'GET /api/v1/saved-views': 'staff',
  'POST /api/v1/saved-views': 'staff',
  'DELETE /api/v1/saved-views/:id': 'staff',
  'GET /supervisor': 'staff',
  'GET /supervisor/audit': 'staff',
  'POST /supervisor/audit/export': 'staff',
  // Issue 15: SLA policies and a supervisor's own SLA notifications.
  'GET /supervisor/sla-policies': 'staff',
  'POST /supervisor/sla-policies': 'staff',
  'POST /supervisor/sla-policies/:id/delete': 'staff',
  'GET /supervisor/notifications': 'staff',
  'POST /supervisor/notifications/read': 'staff',
  'POST /supervisor/notifications/mail': 'staff',
  'GET /api/v1/sla-policies': 'staff',
  'PUT /api/v1/sla-policies': 'staff',
  'DELETE /api/v1/sla-policies/:id': 'staff',
  'GET /admin/users': 'staff',
  'POST /admin/users': 'staff',
  'GET /admin/users/:id': 'staff',
  'POST /admin/users/:id/disable': 'staff',
  'GET /admin/users/:id/disable/confirm': 'staff',
  'POST /admin/users/:id/enable': 'staff',
  'POST /admin/users/:id/unlock': 'staff',
  'POST /admin/users/:id/reset-totp': 'staff',
  'GET /admin/users/:id/reset-totp/confirm': 'staff',
  'POST /admin/users/:id/role': 'staff',
  'POST /admin/users/:id/resend-invite': 'staff',
  'GET /admin/queues': 'staff',
  'POST /admin/queues': 'staff',
  'POST /admin/queues/:queueId/members': 'staff',
  'POST /admin/queues/:queueId/members/:userId/remove': 'staff',
  'GET /admin/queues/:queueId/members/:userId/remove/confirm': 'staff',
  'GET /admin/merchants': 'staff',
  'POST /admin/merchants': 'staff',
  'GET /admin/merchants/:id': 'staff',
  'POST /admin/merchants/:id': 'staff',
  'POST /admin/merchants/:id/sites': 'staff',
  'GET /admin/sites/:id': 'staff',
  'POST /admin/sites/:id': 'staff',
  'GET /admin/calendar': 'staff',
  'POST /admin/calendar': 'staff',
  'POST /admin/calendar/:id/delete': 'staff',
  'GET /admin/calendar/:id/delete/confirm': 'staff',
  // Rules (issue 15): admins only, operator-wide (a rule names its merchant, any of them).
  'GET /admin/rules': 'staff',
  'GET /admin/rules/new': 'staff',
  'POST /admin/rules': 'staff',
  'GET /admin/rules/:id': 'staff',
  'POST /admin/rules/:id': 'staff',
  'POST /admin/rules/:id/move': 'staff',
  'POST /admin/rules/:id/enabled': 'staff',
  'GET /admin/rules/:id/delete/confirm': 'staff',
  'POST /admin/rules/:id/delete': 'staff',
  'GET /api/v1/rules': 'staff',
  'POST /api/v1/rules': 'staff',
  'GET /api/v1/rules/:id': 'staff',
  'PATCH /api/v1/rules/:id': 'staff',
  'POST /api/v1/rules/:id/move': 'staff',
  'DELETE /api/v1/rules/:id': 'staff',
  'GET /portal/bulk-sends': 'list',
  'GET /portal/bulk-sends/new': 'list',
  'GET /portal/bulk-sends/preview': 'list',
  'POST /portal/bulk-sends': 'list',
  'GET /portal/bulk-sends/:id': 'identifier',
  'POST /portal/bulk-sends/:id/cancel': 'identifier',
  'GET /supervisor/bulk-sends': 'staff',
  'GET /supervisor/bulk-sends/new': 'staff',
  'GET /supervisor/bulk-sends/preview': 'staff',
  'POST /supervisor/bulk-sends': 'staff',
  'GET /supervisor/bulk-sends/:id': 'staff',
  'POST /supervisor/bulk-sends/:id/cancel': 'staff',
  'GET /admin/incidents': 'staff',
  'POST /admin/incidents': 'staff',
  'GET /admin/incidents/:id': 'staff',
  'POST /admin/incidents/:id': 'staff',
  'POST /admin/incidents/:id/templates': 'staff',
  'POST /admin/incidents/templates/:templateId': 'staff',
  'GET /admin/incidents/templates/:templateId/outdated': 'staff',
  // The mail outbox page (issue 18): admins only.
  'GET /admin/outbox': 'staff',
  'POST /admin/outbox/:jobId/retry': 'staff',
  'POST /admin/outbox/:jobId/discard': 'staff',
  'GET /admin/outbox/:jobId/discard/confirm': 'staff',
  // The dev mailbox (issue 14): admins, outside production only.
  'GET /admin/dev-mailbox': 'staff',
};

const routesOf = (routeClass: RouteClass): string[] =>
  Object.entries(ROUTE_CLASSES)
    .filter(([, value]) => value === routeClass)
    .map(([key]) => key);

/** `GET /portal/cases?q=… (note)` → `GET /portal/cases`: the route a case exercises. */
const routeKeyOf = (caseName: string): string => {
  const [method, rest] = caseName.split(' ');
  return `${method} ${rest.split('?')[0]}`;
};

/** B's identifier for each path parameter, by its name or the segment before it. */
const fillPath = (url: string, ids: Ids & { siteId: number }): string => {
  const segments = url.split('/');
  return segments
    .map((segment, index) => {
      if (!segment.startsWith(':')) return segment;
      const name = segment.slice(1);
      const previous = segments[index - 1];
      if (name === 'reference') return ids.reference;
      if (name === 'token') return 'A'.repeat(43);
      if (name === 'userId' || previous === 'users') return String(ids.userId);
      if (name === 'queueId' || previous === 'queues') return String(ids.queueId);
      if (previous === 'sites') return String(ids.siteId);
      if (previous === 'calls') return String(ids.callId);
      if (previous === 'attachments') return String(ids.attachmentId);
      if (previous === 'canned-responses') return String(ids.cannedId);
      if (name === 'templateId') return String(ids.templateId);
      if (name === 'versionId') return String(ids.answerVersionId);
      if (name === 'messageId') return String(ids.replyMessageId);
      if (name === 'incidentId' || previous === 'incidents') return String(ids.incidentId);
      if (previous === 'bulk-sends') return String(ids.bulkSendId);
      return String(ids.merchantId);
    })
    .join('/');
};

/** Issue 14: a text file on B's inquiry (its first message), stored as the intake stores one. */
async function attachmentOfB(
  desk: NestFastifyApplication,
  ds: TestEnvironment['dataSource'],
  ticket: Ticket,
): Promise<number> {
  const message = await ds.manager.findOneOrFail(Message, {
    where: { ticketId: ticket.id },
    order: { id: 'ASC' },
  });
  const [stored] = await desk
    .get(AttachmentService)
    .store(
      ds.manager,
      { ticketId: ticket.id, messageId: message.id, merchantId: ticket.merchantId },
      [{ filename: 'もみじ明細.txt', contentType: 'text/plain', bytes: Buffer.from(B_REQUESTER) }],
    );
  return stored.id;
}

/**
 * Incident mode (8A): an incident that affects B only, with an answer template whose version 1
 * B approved. A's users must find none of it.
 */
async function incidentOfB(
  ds: TestEnvironment['dataSource'],
  tenant: TestTenant,
  approver: User,
): Promise<Pick<Ids, 'incidentId' | 'templateId' | 'answerVersionId'>> {
  const now = new Date();
  const incident = await ds.manager.save(
    ds.manager.create(Incident, {
      title: B_INCIDENT_TITLE,
      description: 'もみじだけの事象',
      leakedItems: '氏名',
      occurredFrom: null,
      occurredTo: null,
      createdByUserId: null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await ds.manager.insert(IncidentMerchant, {
    incidentId: incident.id,
    merchantId: tenant.merchant.id,
    affected: true,
    noticeDate: null,
  });
  const template = await ds.manager.save(
    ds.manager.create(AnswerTemplate, {
      incidentId: incident.id,
      title: B_ANSWER_TITLE,
      purpose: 'answer',
      createdAt: now,
    }),
  );
  const version = await ds.manager.save(
    ds.manager.create(AnswerTemplateVersion, {
      templateId: template.id,
      version: 1,
      body: '{{name}} 様 もみじからのご案内',
      createdByUserId: null,
      createdAt: now,
    }),
  );
  await ds.manager.insert(AnswerApproval, {
    versionId: version.id,
    merchantId: tenant.merchant.id,
    decision: 'approved',
    comment: null,
    decidedByUserId: approver.id,
    decidedAt: now,
  });
  return { incidentId: incident.id, templateId: template.id, answerVersionId: version.id };
}

/** Bulk sends: a finished run of B's approved answer (B's own merchant admin started it). */
async function bulkSendOfB(
  ds: TestEnvironment['dataSource'],
  ids: Ids,
  bUser: User,
): Promise<number> {
  const now = new Date();
  const run = await ds.manager.save(
    ds.manager.create(BulkSend, {
      merchantId: ids.merchantId,
      incidentId: ids.incidentId,
      versionId: ids.answerVersionId,
      selection: 'incident_open',
      state: 'completed',
      total: 0,
      createdByUserId: bUser.id,
      createdAt: now,
      finishedAt: now,
    }),
  );
  return run.id;
}

/** Issue 13.2: a reply of B's that went out as an edited version of B's approved answer. */
async function editedReplyOfB(
  ds: TestEnvironment['dataSource'],
  ticketId: number,
  answerVersionId: number,
): Promise<number> {
  const result = await ds.manager.insert(Message, {
    ticketId,
    kind: 'reply',
    authorUserId: null,
    // As if retention had erased it: the route must 404 before reading anything.
    body: null,
    deliveryState: null,
    answerVersionId,
    answerProvenance: 'edited',
    answerDiff: null,
    createdAt: new Date(),
  });
  return Number(result.identifiers[0]?.id);
}

describe(`tenant isolation matrix (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let intake: NestFastifyApplication;
  let tenantA: TestTenant;
  let tenantB: TestTenant;
  let b: Ids;
  let missing: Ids;
  let bUser: User;
  const sessions = new Map<UserRole, LoggedIn>();
  let liveTicketsOfB = 0;
  let before: { ticket: Ticket; messages: number; canned: CannedResponse; call: Call; user: User };

  const send = (route: RouteCase, ids: Ids, session: LoggedIn) => {
    const path = route.path(ids);
    let req = request(desk.getHttpServer())[route.method](path).set('Cookie', session.cookie);
    if (route.kind === 'html') {
      req = req.set('Accept', 'text/html');
      if (route.method !== 'get') {
        return req.type('form').send({ _csrf: session.csrfToken, ...(route.body?.(ids) ?? {}) });
      }
      return req;
    }
    req = req.set('Accept', 'application/json');
    if (route.method !== 'get') {
      req = req.set('x-csrf-token', session.csrfToken);
      return route.body ? req.send(route.body(ids)) : req;
    }
    return req;
  };

  /** Anything of B in a response: its reference, names, SID, or a merchantId/queueId of B. */
  const leaksOfB = (text: string, body: unknown): string[] => {
    const found: string[] = [];
    for (const marker of [
      b.reference,
      B_MERCHANT_NAME,
      B_REQUESTER,
      B_CANNED_TITLE,
      B_CALL_SID,
      B_INCIDENT_TITLE,
      B_ANSWER_TITLE,
      bUser.email,
    ]) {
      if (text.includes(marker)) found.push(marker);
    }
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value !== null && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
          if (key === 'merchantId' && inner === b.merchantId) found.push('merchantId=B');
          if (key === 'queueId' && inner === b.queueId) found.push('queueId=B');
          if (key === 'queueIds' && Array.isArray(inner) && inner.includes(b.queueId))
            found.push('queueIds contains B');
          walk(inner);
        }
      }
    };
    walk(body);
    return found;
  };

  /**
   * Every row of every table but the callers' own sessions and the audit rows of other merchants
   * (a refused request may audit the caller's own search): what "nothing written" compares.
   */
  const fingerprint = async (): Promise<Record<string, string>> => {
    const ds = testEnv.dataSource;
    const dump: Record<string, string> = {};
    for (const { tableName } of ds.entityMetadatas) {
      if (tableName === 'sessions') continue;
      const table = ds.driver.escape(tableName);
      const rows: unknown[] =
        tableName === 'audit_events'
          ? await ds.query(
              `SELECT * FROM ${table} WHERE merchant_id = ? OR target_id = ? ORDER BY id`,
              [b.merchantId, b.reference],
            )
          : await ds.query(`SELECT * FROM ${table} ORDER BY 1`);
      // A digest per table: a failure names the table that changed.
      dump[tableName] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
    }
    return dump;
  };

  /**
   * B's rows: B's merchant row, every row of every table with a merchant_id of B (audit rows
   * included), and the messages of B's tickets. What a list or create route of A's must leave as it was.
   */
  const fingerprintOfB = async (): Promise<Record<string, string>> => {
    const ds = testEnv.dataSource;
    const dump: Record<string, string> = {};
    for (const metadata of ds.entityMetadatas) {
      const columns = metadata.columns.map((column) => column.databaseName);
      const table = ds.driver.escape(metadata.tableName);
      let rows: unknown[] | null = null;
      if (columns.includes('merchant_id')) {
        rows = await ds.query(`SELECT * FROM ${table} WHERE merchant_id = ? ORDER BY 1`, [
          b.merchantId,
        ]);
      } else if (metadata.tableName === 'merchants') {
        // B's settings (notification addresses, IP ranges) live on its merchant row.
        rows = await ds.query(`SELECT * FROM ${table} WHERE id = ?`, [b.merchantId]);
      } else if (metadata.tableName === 'messages') {
        rows = await ds.query(
          `SELECT * FROM ${table} WHERE ticket_id IN (SELECT id FROM tickets WHERE merchant_id = ?) ORDER BY 1`,
          [b.merchantId],
        );
      }
      if (rows) {
        dump[metadata.tableName] = createHash('sha256').update(JSON.stringify(rows)).digest('hex');
      }
    }
    return dump;
  };

  /** A request to a route from the table, B's identifiers in its path, B's merchant in its body. */
  const sendGeneric = (routeKey: string, session: LoggedIn | null): request.Test => {
    const [method, url] = routeKey.split(' ');
    const path = fillPath(url, { ...b, siteId: tenantB.site.id });
    const api = url.startsWith('/api/');
    const verb = method.toLowerCase() as Method;
    const agent = request(desk.getHttpServer());
    let req = agent[verb](path).set('Accept', api ? 'application/json' : 'text/html');
    if (session) req = req.set('Cookie', session.cookie);
    if (verb === 'get') return req;
    const body: Record<string, string> = { merchantId: String(b.merchantId) };
    if (routeKey === 'POST /login' || routeKey === 'POST /api/v1/auth/login') {
      Object.assign(body, { email: 'nobody@users.test', password: 'not the password' });
    }
    if (api) return req.set('x-csrf-token', session?.csrfToken ?? '').send(body);
    return req.type('form').send(session ? { _csrf: session.csrfToken, ...body } : body);
  };

  const textOf = (response: request.Response): string =>
    response.text ?? JSON.stringify(response.body ?? null);

  /** A search page echoes its own query (the search box, the heading): that is not B's data. */
  const withoutEcho = (text: string, path: string): string => {
    const q = new URL(path, 'http://desk.test').searchParams.get('q');
    if (!q) return text;
    const escaped = q.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    return text.split(`value="${escaped}"`).join('value=""');
  };

  beforeAll(async () => {
    testEnv = await createTestEnvironment({ INTAKE_RATE_LIMIT_PER_MINUTE: '0' });
    tenantA = await createTestTenant(testEnv.dataSource, { merchantName: 'さくら商店' });
    tenantB = await createTestTenant(testEnv.dataSource, { merchantName: B_MERCHANT_NAME });
    intake = await startIntakeApp(testEnv);
    desk = await startDeskApp(testEnv);
    const ds = testEnv.dataSource;

    // B's ticket, waiting on the merchant so that the answer route would take it.
    const created = await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenantB.site.slug}/inquiries`)
      .send({ ...VALID_INQUIRY, name: B_REQUESTER, email: B_EMAIL })
      .expect(201);
    const reference = (created.body as { reference: string }).reference;
    await ds.manager.update(Ticket, { reference }, { status: 'pending_merchant' });
    const ticket = await ds.manager.findOneByOrFail(Ticket, { reference });
    // A ticket of A's as well, so that A's lists are not empty.
    await request(intake.getHttpServer())
      .post(`/api/v1/sites/${tenantA.site.slug}/inquiries`)
      .send(VALID_INQUIRY)
      .expect(201);

    const now = new Date();
    const canned = await ds.manager.save(
      ds.manager.create(CannedResponse, {
        merchantId: tenantB.merchant.id,
        title: B_CANNED_TITLE,
        body: 'もみじからのご案内 {{reference}}',
        updatedByUserId: null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await ds.getRepository(Call).insert({
      callSid: B_CALL_SID,
      fromNumber: 'ciphertext-not-shown',
      fromIndex: null,
      callerIdWithheld: false,
      toNumber: '+81367447492',
      status: 'completed',
      lastSequence: null,
      startedAt: now,
      enqueuedAt: null,
      answeredAt: null,
      endedAt: now,
      waitSeconds: 12,
      talkSeconds: 90,
      outcome: 'voicemail',
      withinHours: true,
      agentId: null,
      merchantId: tenantB.merchant.id,
      ticketId: null,
      recordingSid: null,
      recordingUrl: null,
      recordingSeconds: null,
      createdAt: now,
      updatedAt: now,
    });
    const call = await ds.getRepository(Call).findOneByOrFail({ callSid: B_CALL_SID });
    bUser = await createTestUser(ds, { role: 'merchant_viewer', merchantId: tenantB.merchant.id });

    b = {
      reference,
      callId: call.id,
      queueId: tenantB.queue.id,
      cannedId: canned.id,
      userId: bUser.id,
      merchantId: tenantB.merchant.id,
      version: ticket.version,
      ...(await incidentOfB(ds, tenantB, bUser)),
      bulkSendId: 0,
      replyMessageId: 0,
      attachmentId: await attachmentOfB(desk, ds, ticket),
    };
    b.bulkSendId = await bulkSendOfB(ds, b, bUser);
    b.replyMessageId = await editedReplyOfB(ds, ticket.id, b.answerVersionId);
    missing = {
      reference: MISSING_REFERENCE,
      callId: MISSING_ID,
      queueId: MISSING_ID,
      cannedId: MISSING_ID,
      userId: MISSING_ID,
      merchantId: MISSING_ID,
      version: ticket.version,
      incidentId: MISSING_ID,
      templateId: MISSING_ID,
      answerVersionId: MISSING_ID,
      bulkSendId: MISSING_ID,
      replyMessageId: MISSING_ID,
      attachmentId: MISSING_ID,
    };

    for (const role of MERCHANT_ROLES) {
      const user = await createTestUser(ds, { role, merchantId: tenantA.merchant.id });
      sessions.set(role, await loginAs(desk, user.email));
    }

    before = {
      ticket,
      messages: await ds.manager.countBy(Message, { ticketId: ticket.id }),
      canned,
      call,
      user: await ds.manager.findOneByOrFail(User, { id: bUser.id }),
    };
  });

  afterAll(async () => {
    await intake?.close();
    await desk?.close();
    await testEnv?.cleanup();
  });

  describe.each(MERCHANT_ROLES)('as merchant A’s %s', (role) => {
    it.each(ROUTES)(
      "%s with B's identifier: 404, or the same refusal as for an identifier that does not exist",
      async (_name, route) => {
        const session = sessions.get(role)!;
        const database = await fingerprint();
        const ofB = await send(route, b, session);
        const ofNothing = await send(route, missing, session);
        expect(await fingerprint()).toEqual(database);
        expect({ status: ofB.status, leaks: leaksOfB(textOf(ofB), ofB.body) }).toEqual({
          status: ofNothing.status,
          leaks: [],
        });
        // Only "not found" or a refusal by role that ignores the identifier.
        expect([403, 404]).toContain(ofB.status);
        if (ofB.status === 403) expect(ofNothing.status).toBe(403);
      },
    );

    it.each(FILTER_ROUTES)("%s: none of B's data, nothing of B written", async (_name, route) => {
      const session = sessions.get(role)!;
      const ofB = await fingerprintOfB();
      const response = await send(route, b, session);
      expect(leaksOfB(withoutEcho(textOf(response), route.path(b)), response.body)).toEqual([]);
      // 200/303 for what the role may use; 400/403/404 for what it may not. Never a 5xx.
      expect(response.status).toBeLessThan(500);
      // A list or create route may write the caller's own rows, never B's.
      expect(await fingerprintOfB()).toEqual(ofB);
    });
  });

  describe('the route table', () => {
    const keys = (): string[] => [
      ...new Set(
        registeredRoutes(desk)
          // HEAD is GET without a body (exposeHeadRoutes): classified with its GET.
          .filter((route) => route.method !== 'HEAD')
          .map((route) => `${route.method} ${route.url}`),
      ),
    ];

    it('should classify every route the desk registers, so that no new route escapes the matrix', () => {
      const unclassified = keys().filter((key) => !(key in ROUTE_CLASSES));
      expect(unclassified).toEqual([]);
    });

    it('should classify no route that the desk does not register', () => {
      const registered = new Set(keys());
      expect(Object.keys(ROUTE_CLASSES).filter((key) => !registered.has(key))).toEqual([]);
    });

    it('should have a cross-merchant case for every identifier and list route', () => {
      const identifierCases = new Set(ROUTES.map(([name]) => routeKeyOf(name)));
      const listCases = new Set(FILTER_ROUTES.map(([name]) => routeKeyOf(name)));
      expect({
        identifier: routesOf('identifier').filter((key) => !identifierCases.has(key)),
        list: routesOf('list').filter((key) => !listCases.has(key)),
      }).toEqual({ identifier: [], list: [] });
    });
  });

  describe.each(MERCHANT_ROLES)('staff routes as merchant A’s %s', (role) => {
    it.each(routesOf('staff'))('%s: refused (403/404), nothing written', async (routeKey) => {
      const database = await fingerprint();
      const response = await sendGeneric(routeKey, sessions.get(role)!);
      expect([403, 404]).toContain(response.status);
      expect(leaksOfB(textOf(response), response.body)).toEqual([]);
      expect(await fingerprint()).toEqual(database);
    });
  });

  describe.each(MERCHANT_ROLES)('own-account routes as merchant A’s %s', (role) => {
    it.each(routesOf('self'))('%s: no 5xx, none of B’s data, nothing written', async (routeKey) => {
      const user = await createTestUser(testEnv.dataSource, {
        role,
        merchantId: tenantA.merchant.id,
      });
      const session = await loginAs(desk, user.email);
      const database = await fingerprint();
      const response = await sendGeneric(routeKey, session);
      expect(response.status).toBeLessThan(500);
      expect(leaksOfB(textOf(response), response.body)).toEqual([]);
      expect(await fingerprint()).toEqual(database);
    });
  });

  describe('public routes without a session', () => {
    it.each(routesOf('public'))(
      '%s: no 5xx, none of B’s data, nothing written',
      async (routeKey) => {
        const database = await fingerprint();
        const response = await sendGeneric(routeKey, null);
        expect(response.status).toBeLessThan(500);
        if (routeKey.includes(':token')) expect(response.status).toBe(404);
        expect(leaksOfB(textOf(response), response.body)).toEqual([]);
        expect(await fingerprint()).toEqual(database);
      },
    );
  });

  describe.each(MERCHANT_ROLES)('live updates as merchant A’s %s', (role) => {
    it.each(routesOf('live'))("%s: hears of A's new ticket, never of B's", async (routeKey) => {
      const [, path] = routeKey.split(' ');
      if (!desk.getHttpServer().address()) await desk.listen(0, '127.0.0.1');
      const { port } = desk.getHttpServer().address() as AddressInfo;
      const stream = await openEventStream(port, path, sessions.get(role)!.cookie);
      try {
        expect(stream.status).toBe(200);
        await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenantB.site.slug}/inquiries`)
          .send({ ...VALID_INQUIRY, name: B_REQUESTER })
          .expect(201);
        liveTicketsOfB++;
        await request(intake.getHttpServer())
          .post(`/api/v1/sites/${tenantA.site.slug}/inquiries`)
          .send(VALID_INQUIRY)
          .expect(201);
        // A's event comes after B's change was committed: had B's queue been told, it came first.
        await stream.waitFor(`"queueIds":[${tenantA.queue.id}]`);
        expect(stream.text()).not.toMatch(new RegExp(`[\\[,]${tenantB.queue.id}[\\],]`));
        expect(leaksOfB(stream.text(), null)).toEqual([]);
      } finally {
        stream.close();
      }
    });
  });

  describe('after the whole matrix', () => {
    it('should leave everything of B as it was', async () => {
      const ds = testEnv.dataSource;
      const ticket = await ds.manager.findOneByOrFail(Ticket, { id: before.ticket.id });
      expect(ticket).toMatchObject({
        version: before.ticket.version,
        status: before.ticket.status,
        priority: before.ticket.priority,
        category: before.ticket.category,
        queueId: before.ticket.queueId,
        assigneeId: before.ticket.assigneeId,
        merchantId: tenantB.merchant.id,
      });
      expect(await ds.manager.countBy(Message, { ticketId: ticket.id })).toBe(before.messages);
      // Only the tickets the live-update cases sent to B's own intake.
      expect(await ds.manager.countBy(Ticket, { merchantId: tenantB.merchant.id })).toBe(
        1 + liveTicketsOfB,
      );

      const canned = await ds.manager.findOneByOrFail(CannedResponse, { id: before.canned.id });
      expect(canned).toMatchObject({ title: before.canned.title, body: before.canned.body });
      expect(await ds.manager.countBy(CannedResponse, { merchantId: tenantB.merchant.id })).toBe(1);

      const call = await ds.manager.findOneByOrFail(Call, { id: before.call.id });
      expect(call).toMatchObject({
        ticketId: null,
        status: before.call.status,
        outcome: before.call.outcome,
        agentId: null,
        callbackDoneAt: null,
      });
      expect(call.updatedAt.getTime()).toBe(before.call.updatedAt.getTime());

      const user = await ds.manager.findOneByOrFail(User, { id: bUser.id });
      expect(user.disabledAt).toBeNull();
      expect(await ds.manager.countBy(User, { merchantId: tenantB.merchant.id })).toBe(1);
      // No run started for B, B's run not cancelled.
      expect(await ds.manager.findBy(BulkSend, { merchantId: tenantB.merchant.id })).toEqual([
        expect.objectContaining({ id: b.bulkSendId, state: 'completed' }),
      ]);
      // The portal may create the planted user, but only in the caller's own merchant.
      const planted = await ds.manager.findBy(User, { email: 'planted@users.test' });
      for (const user of planted) expect(user.merchantId).toBe(tenantA.merchant.id);
    });
  });
});

interface RawEventStream {
  status: number;
  text(): string;
  waitFor(fragment: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** The raw text of a Server-Sent Events stream, read as a browser's EventSource would. */
function openEventStream(port: number, path: string, cookie: string): Promise<RawEventStream> {
  return new Promise((resolve, reject) => {
    const req = get(
      { host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', cookie } },
      (res: IncomingMessage) => {
        let received = '';
        const waiters: Array<() => void> = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received += chunk;
          for (const waiter of waiters.splice(0)) waiter();
        });
        resolve({
          status: res.statusCode ?? 0,
          text: () => received,
          waitFor(fragment, timeoutMs = 10_000) {
            return new Promise((found, fail) => {
              const timer = setTimeout(
                () => fail(new Error(`no ${fragment} within ${timeoutMs} ms: ${received}`)),
                timeoutMs,
              );
              const check = (): void => {
                if (received.includes(fragment)) {
                  clearTimeout(timer);
                  found();
                } else waiters.push(check);
              };
              check();
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
  });
}
