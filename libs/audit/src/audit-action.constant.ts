/** Every audited action, in one list, so reports and tests name them the same way. */
export const AUDIT_ACTIONS = {
  ticketCreated: 'ticket.created',
  ticketCustomerReplied: 'ticket.customer_replied',
  ticketStatusPageViewed: 'ticket.status_page_viewed',
  /** A staff or merchant user opened a ticket's personal data (requester, messages). */
  ticketViewed: 'ticket.viewed',
  ticketReplied: 'ticket.replied',
  ticketNoteAdded: 'ticket.note_added',
  ticketAssigned: 'ticket.assigned',
  ticketReleased: 'ticket.released',
  ticketStatusChanged: 'ticket.status_changed',
  ticketUpdated: 'ticket.updated',
  ticketHandedBack: 'ticket.handed_back',
  /** A merchant user answered an agent's question; the ticket went back to the queue. */
  ticketMerchantAnswered: 'ticket.merchant_answered',
  ticketSearched: 'ticket.searched',
  /**
   * Issue 15: a staff user saw a page of a ticket list with the requesters' names and message
   * lines (queue or search); one event per page view, detail: list, the page's references.
   */
  ticketListViewed: 'ticket.list_viewed',
  /** Issue 15: a supervisor created or changed a merchant's SLA policy (detail: priority, category, minutes, previous). */
  slaPolicySaved: 'sla_policy.saved',
  /** Issue 15: a supervisor deleted a merchant's SLA policy (detail: what it said). */
  slaPolicyDeleted: 'sla_policy.deleted',
  /** Issue 15: a supervisor turned SLA alert mails on or off for themself (detail: mail). */
  slaAlertMailChanged: 'sla_alert.mail_changed',
  authLoginSucceeded: 'auth.login_succeeded',
  authLoginFailed: 'auth.login_failed',
  authAccountLocked: 'auth.account_locked',
  authLoggedOut: 'auth.logged_out',
  authTotpEnrolled: 'auth.totp_enrolled',
  /** A staff user opened a call's page, which shows the caller's number. */
  callViewed: 'call.viewed',
  /** A call was linked to a ticket (a new phone ticket or an existing one; relinks too). */
  callLinked: 'call.linked',
  /** A missed call or voicemail was called back (the to-do entry marked done). */
  callCallbackDone: 'call.callback_done',
  /** An agent took a callback (one agent at a time). */
  callCallbackClaimed: 'call.callback_claimed',
  /** A callback attempt: outcome (reached, no answer, message left) and a note. */
  callCallbackAttempted: 'call.callback_attempted',
  /** A recording was played (streamed from Twilio or from the desk's sealed copy). */
  callRecordingPlayed: 'call.recording_played',
  /** The recording job kept a voicemail in the desk and deleted it at Twilio. */
  callRecordingStored: 'call.recording_stored',
  cannedResponseSaved: 'canned_response.saved',
  cannedResponseDeleted: 'canned_response.deleted',
  // Rules (issue 15; docs/rules.md). Target the rule; detail: kind, merchant, changed fields.
  ruleCreated: 'rule.created',
  ruleUpdated: 'rule.updated',
  /** An admin moved a rule up or down (detail: from, to). */
  ruleReordered: 'rule.reordered',
  ruleDeleted: 'rule.deleted',
  /** The pending automation mailed its one reminder (system; target the ticket; detail: rule, message). */
  rulePendingReminded: 'rule.pending_reminded',
  /** The pending automation resolved a ticket that stayed unanswered (system; target the ticket). */
  rulePendingResolved: 'rule.pending_resolved',
  merchantCreated: 'merchant.created',
  merchantUpdated: 'merchant.updated',
  /** A merchant admin changed its notification addresses or allowed IP ranges (field names only). */
  merchantSettingsUpdated: 'merchant.settings_updated',
  siteCreated: 'site.created',
  siteUpdated: 'site.updated',
  calendarClosureAdded: 'calendar.closure_added',
  calendarClosureDeleted: 'calendar.closure_deleted',
  userInvited: 'user.invited',
  userDisabled: 'user.disabled',
  userEnabled: 'user.enabled',
  userUnlocked: 'user.unlocked',
  userTotpReset: 'user.totp_reset',
  userRoleChanged: 'user.role_changed',
  /** A user set their password (from an invitation link). */
  userPasswordSet: 'user.password_set',
  /** Retention erased a closed ticket's personal data (system actor; counts only). */
  ticketErased: 'ticket.erased',
  /** The merchant was mailed that its support period ended (once; the marker of "notified"). */
  merchantSupportEndedNotified: 'merchant.support_ended_notified',
  /** The daily digest went out; target id is the Tokyo date (the marker of "sent that day"). */
  merchantDigestSent: 'merchant.digest_sent',
  /** The merchant was mailed that a ticket waits on its answer (pending_merchant). */
  merchantQuestionNotified: 'merchant.question_notified',
  queueCreated: 'queue.created',
  queueMemberAdded: 'queue.member_added',
  queueMemberRemoved: 'queue.member_removed',
  /** A merchant user downloaded its cases as CSV (detail: range and row count). */
  exportCases: 'export.cases',
  /** A CSV export refused because the password given again was wrong. */
  exportCasesFailed: 'export.cases_failed',
  /**
   * One user viewed more distinct tickets within an hour than BULK_VIEW_ALERT_THRESHOLD (system
   * actor, target the user; detail: count, threshold); the admins were mailed. Once an hour a user.
   */
  bulkViewAlert: 'bulk_view.alert',
  /** `npm run keys:rotate` ran (system actor, target the active key id; detail: counts only). */
  keysRotated: 'keys.rotated',
  // Incident mode (issue 8A): incidents, answer templates, merchants' decisions.
  incidentCreated: 'incident.created',
  incidentUpdated: 'incident.updated',
  answerTemplateCreated: 'answer_template.created',
  /** A template's text changed (a new version) or its title. */
  answerTemplateEdited: 'answer_template.edited',
  answerVersionApproved: 'answer_version.approved',
  answerVersionChangesRequested: 'answer_version.changes_requested',
  // Incident mode (issue 8B): affected-customer lists and the end user's verified check.
  /** A merchant admin uploaded an affected-customer list (mode, encoding, counts only). */
  affectedListUploaded: 'affected_list.uploaded',
  /** An upload refused whole (the reason code only); nothing changed. */
  affectedListUploadRefused: 'affected_list.upload_refused',
  /** An end user asked for a one-time code on the status page (outcome: sent | rate_limited). */
  leakCheckCodeRequested: 'leak_check.code_requested',
  /** An end user entered a code (outcome; on success the result shown), never the code. */
  leakCheckCodeChecked: 'leak_check.code_checked',
  /** A bulk send of an approved answer started (detail: selection, version, count). */
  bulkSendStarted: 'bulk_send.started',
  /** Every item of a bulk send was sent or skipped (system actor; counts). */
  bulkSendCompleted: 'bulk_send.completed',
  /** A bulk send was stopped; its pending items were skipped. */
  bulkSendCancelled: 'bulk_send.cancelled',
  // Readable access log (issue 13.8).
  /** An access log / audit trail CSV was downloaded (detail: scope, filters, row count, capped). */
  auditLogExported: 'audit_log.exported',
  /** An access log / audit trail CSV refused because the password given again was wrong. */
  auditLogExportFailed: 'audit_log.export_failed',
  // The merchant as a collaborator (issue 13.4, 13.5).
  /** An agent asked the merchant a question (a merchant_query message; detail: message id, from/to). */
  ticketMerchantQuestionAsked: 'ticket.merchant_question_asked',
  /** A merchant user opened a handed-back case's contact and message in the portal. */
  handBackContactViewed: 'handback.contact_viewed',
  /** A merchant user marked a handed-back case answered in the portal. */
  handBackAnswered: 'handback.answered',
  /** The one reminder that a handed-back case is still unanswered (system actor; mail count). */
  handBackReminderSent: 'handback.reminder_sent',
  // Determinations only from evidence (issue 13.1).
  /**
   * A determination (included / not included) was recorded on a ticket: by an agent with a reason
   * (never in the detail), or by the end user's verified check (detail: id, outcome, evidence,
   * list upload, the determination it superseded).
   */
  determinationRecorded: 'determination.recorded',
  /** A list upload contradicted a verified determination: flagged for review, not changed. */
  determinationReviewFlagged: 'determination.review_flagged',
  // The incident report (issue 13.7): aggregates only, no personal data.
  /** A user opened an incident report page (detail: format, merchant ids, period). */
  incidentReportViewed: 'incident_report.viewed',
  /** A user downloaded an incident report as CSV (detail: format, merchant ids, period). */
  incidentReportExported: 'incident_report.exported',
  // The outbox page (issue 18, observability): ids and states only, never an address.
  /** An admin made a failed or dead mail due again (target the outbox job; detail: previous state, attempts). */
  outboxRetried: 'outbox.retried',
  /** An admin gave a mail up: never sent, payload erased (target the outbox job; detail as above). */
  outboxDiscarded: 'outbox.discarded',
  // Data at rest and accounts (issue 18).
  /** The audit retention deleted events older than AUDIT_RETENTION_DAYS (system; target the cutoff; detail: count). */
  auditPurged: 'audit.purged',
  /** A user changed their own password (current password given; other sessions ended). */
  userPasswordChanged: 'user.password_changed',
  /** A forgotten-password mail was asked for an existing, enabled account (never for an unknown address). */
  userPasswordResetRequested: 'user.password_reset_requested',
  /** A password was set again through a forgotten-password link (lockout reset, sessions ended). */
  userPasswordReset: 'user.password_reset',
  /** An invitation was sent again: a new link, the old one no longer works. */
  userInviteResent: 'user.invite_resent',
  // Email and attachments (issue 14).
  /** A desk user downloaded an attachment (target the attachment; detail: ticket reference, message id, type). */
  attachmentViewed: 'attachment.viewed',
  /** A shopper had the status link mailed again (reference + email matched); the old link stopped working. */
  ticketStatusLinkReissued: 'ticket.status_link_reissued',
  /** An admin read the dev mailbox (outside production: the outbox's mails in full; detail: count). */
  devMailboxViewed: 'dev_mailbox.viewed',
  /**
   * A mail about a ticket that was not added to it (system actor; detail: outcome auto_reply,
   * bounce or rejected, the reason word, the transport): an out-of-office answer, a bounce, a
   * mail to a closed ticket, a merchant reply from an address not its own.
   */
  ticketMailSetAside: 'ticket.mail_set_aside',
  // Bulk actions and saved views (issue 15).
  /** A bulk action was previewed and stored (target the run; detail: action, count). */
  bulkActionPreviewed: 'bulk_action.previewed',
  /** A previewed bulk action was run (target the run; detail: action, count). */
  bulkActionStarted: 'bulk_action.started',
  /** A bulk action finished (target the run; detail: action, done and skipped counts). */
  bulkActionCompleted: 'bulk_action.completed',
  /** One ticket of a bulk action: done or skipped (target the ticket; detail: run, outcome, reason). */
  bulkActionTicket: 'bulk_action.ticket',
  /** A saved view was created (target the view; detail: shared, queue). */
  savedViewCreated: 'saved_view.created',
  /** A saved view was deleted (target the view; detail: shared). */
  savedViewDeleted: 'saved_view.deleted',
  // Requester history and merge (issue 15).
  /**
   * The branded form was sent again (its one-time token consumed, or the same requester's same
   * text on the site within 30 minutes): no new ticket, the first one's thank-you page again.
   */
  inquiryResubmitted: 'inquiry.resubmitted',
  /** A ticket was merged into another of its merchant (target the merged ticket; detail: into). */
  ticketMerged: 'ticket.merged',
  /** The surviving ticket of a merge received another's conversation (detail: from, counts). */
  ticketMergeReceived: 'ticket.merge_received',
  // The reply box and tickets without email (issue 15).
  /** An agent recorded what they told the shopper by phone (a ticket without email; detail: message id). */
  ticketCallNoted: 'ticket.call_noted',
  /** A user set, changed or removed their own reply signature (detail: removed). */
  userSignatureChanged: 'user.signature_changed',
} as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];
