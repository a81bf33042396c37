import type { EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  DomainException,
  ErrorCode,
  isUniqueViolation,
  sameTextIgnoringWhitespace,
} from '@madoguchi/common';
import {
  AnswerTemplate,
  AnswerTemplateVersion,
  type AnswerPurpose,
  IncidentMerchant,
} from '@madoguchi/incidents';
import { Ticket } from '@madoguchi/tickets';
import { AffectedListEntry } from '../affected-list/affected-list-entry.entity';
import { AffectedListUpload } from '../affected-list/affected-list-upload.entity';
import {
  type DeterminationEvidence,
  type DeterminationMismatchReason,
  type DeterminationOutcome,
  type DeterminationReviewReason,
  outcomeNeededFor,
} from './determination.constant';
import { TicketDetermination } from './ticket-determination.entity';

// The audit writer has no state or dependencies: these rule functions run inside the caller's
// transaction (affected-list import, status-page check) without a service of their own.
const audit = new AuditService();

/** Rows per UPDATE when a list change flags determinations. */
const FLAG_CHUNK = 500;

/** The ticket's current determination, or null. Locked for the transaction on MariaDB. */
export async function currentDetermination(
  manager: EntityManager,
  ticketId: number,
  lock = false,
): Promise<TicketDetermination | null> {
  const query = manager
    .getRepository(TicketDetermination)
    .createQueryBuilder('determination')
    .where('determination.currentTicketId = :ticketId', { ticketId });
  if (lock && manager.connection.options.type !== 'better-sqlite3') {
    query.setLock('pessimistic_write');
  }
  return query.getOne();
}

/**
 * Why a determination does not allow an answer that needs `outcome`, or null when it does. A
 * determination flagged for review allows nothing until an agent records a new one.
 */
export function determinationMismatch(
  determination: Pick<TicketDetermination, 'outcome' | 'reviewFlaggedAt'> | null,
  outcome: DeterminationOutcome,
): DeterminationMismatchReason | null {
  if (determination === null) return 'undetermined';
  if (determination.reviewFlaggedAt !== null) return 'review_flagged';
  if (determination.outcome !== outcome) return 'outcome_differs';
  return null;
}

const MISMATCH_MESSAGES: Readonly<Record<DeterminationMismatchReason, string>> = {
  undetermined:
    'このお問い合わせには、流出の対象かどうかの判定がまだありません。確認コードによる照合か、担当者の判定（理由つき）を記録してから送ってください。',
  outcome_differs:
    'このお問い合わせの判定は、この回答と異なる結果です。判定に合った回答を選んでください。',
  review_flagged:
    'このお問い合わせの判定は、対象者リストの更新により見直し待ちです。担当者が判定を確認するまで、照合結果の回答は送れません。',
};

/** The 409 for an answer the ticket's determination does not allow. */
export function determinationMismatchError(reason: DeterminationMismatchReason): DomainException {
  return new DomainException(ErrorCode.DeterminationMismatch, MISMATCH_MESSAGES[reason]);
}

/** The purpose of an answer version (null when the version does not exist). */
export async function purposeOfVersion(
  manager: EntityManager,
  versionId: number,
): Promise<AnswerPurpose | null> {
  const row = await manager
    .createQueryBuilder(AnswerTemplateVersion, 'version')
    .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
    .select('template.purpose', 'purpose')
    .where('version.id = :versionId', { versionId })
    .getRawOne<{ purpose: AnswerPurpose }>();
  return row?.purpose ?? null;
}

/**
 * The one check every path that sends an approved answer goes through (agent reply, API, bulk
 * send through the reply): a `leak_included` / `leak_not_included` version goes only to a ticket
 * whose current determination says that outcome and is not flagged for review. Anything else is
 * 409 DETERMINATION_MISMATCH (the caller's transaction rolls back: nothing is written). Other
 * purposes need no determination.
 */
export async function assertDeterminationAllows(
  manager: EntityManager,
  ticket: Pick<Ticket, 'id'>,
  answerVersionId: number,
): Promise<void> {
  const purpose = await purposeOfVersion(manager, answerVersionId);
  const needed = purpose === null ? null : outcomeNeededFor(purpose);
  if (needed === null) return;
  const reason = determinationMismatch(
    await currentDetermination(manager, ticket.id, true),
    needed,
  );
  if (reason !== null) throw determinationMismatchError(reason);
}

/**
 * A reply without `answerVersionId` whose text is a leak answer all the same (the filled text of
 * any version of a `leak_included` / `leak_not_included` template of any incident affecting the
 * ticket's merchant,
 * whitespace-normalised): the same check as if the version had been named, so pasting the text
 * (or an API client leaving the id out) does not skip the determination. `fill` fills a version's
 * placeholders as the reply would.
 */
export async function assertFreeTextDeterminationAllows(
  manager: EntityManager,
  ticket: Pick<Ticket, 'id' | 'merchantId'>,
  text: string,
  fill: (body: string) => Promise<string>,
): Promise<void> {
  const versions = await manager
    .createQueryBuilder(AnswerTemplateVersion, 'version')
    .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
    .innerJoin(
      IncidentMerchant,
      'line',
      'line.incidentId = template.incidentId AND line.merchantId = :merchantId AND line.affected = :affected',
      { merchantId: ticket.merchantId, affected: true },
    )
    .select(['version.id', 'version.body'])
    .where('template.purpose IN (:...purposes)', {
      purposes: ['leak_included', 'leak_not_included'],
    })
    .orderBy('version.id', 'DESC')
    .getMany();
  for (const version of versions) {
    if (sameTextIgnoringWhitespace(await fill(version.body), text)) {
      await assertDeterminationAllows(manager, ticket, version.id);
    }
  }
}

/** The newest upload of the incident's list for the merchant (what a determination is made against). */
export async function newestListUploadId(
  manager: EntityManager,
  incidentId: number,
  merchantId: number,
): Promise<number | null> {
  const upload = await manager.getRepository(AffectedListUpload).findOne({
    select: { id: true },
    where: { incidentId, merchantId },
    order: { id: 'DESC' },
  });
  return upload?.id ?? null;
}

/**
 * The list changed between the start of a determination's transaction (its snapshot) and the
 * moment it took the list's lock: what it read may be the old list. Nothing it wrote stands
 * (the transaction rolls back); {@link retryWhenListChanged} runs it again on the new list.
 */
export class AffectedListChangedError extends Error {
  constructor() {
    super('the affected list changed during the determination; run it again');
  }
}

/** Times a determination is run again when a list upload lands in the middle of it. */
const LIST_CHANGE_ATTEMPTS = 3;

/**
 * Runs a transaction that writes a determination, again when {@link AffectedListChangedError}
 * says a list upload committed while it ran. The work must have no effect outside its
 * transaction (a rolled-back attempt leaves nothing).
 */
export async function retryWhenListChanged<T>(transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      if (!(error instanceof AffectedListChangedError) || attempt >= LIST_CHANGE_ATTEMPTS) {
        throw error;
      }
    }
  }
}

/**
 * The upload a determination is made against, read under the lock that a list upload takes
 * (the merchant's incident_merchants row; AffectedListService.upload locks it exclusively).
 *
 * On MariaDB a determination and an upload could otherwise pass each other: a status-page check
 * reads the old list, the upload commits and flags the determinations it sees, then the check
 * writes its determination, which nobody flags. With the shared lock, either the upload waits
 * for this transaction (and its review pass, which reads after taking the lock, sees this
 * determination) or this transaction waits for the upload; then its snapshot, taken before the
 * wait, may hold the old list: the newest upload read under the lock (the latest committed row)
 * differs from the one the snapshot holds, and the attempt is run again. SQLite runs one writer
 * at a time, so the newest upload is simply read.
 */
async function listUploadIdUnderLock(
  manager: EntityManager,
  incidentId: number,
  merchantId: number,
): Promise<number | null> {
  const seen = await newestListUploadId(manager, incidentId, merchantId);
  if (manager.connection.options.type === 'better-sqlite3') return seen;
  await manager
    .getRepository(IncidentMerchant)
    .createQueryBuilder('im')
    .where('im.incidentId = :incidentId AND im.merchantId = :merchantId', {
      incidentId,
      merchantId,
    })
    .setLock('pessimistic_read')
    .getOne();
  const latest = await manager
    .getRepository(AffectedListUpload)
    .createQueryBuilder('upload')
    .select('upload.id', 'id')
    .where('upload.incidentId = :incidentId AND upload.merchantId = :merchantId', {
      incidentId,
      merchantId,
    })
    .orderBy('upload.id', 'DESC')
    .limit(1)
    .setLock('pessimistic_read')
    .getRawOne<{ id: number }>();
  if ((latest === undefined ? null : Number(latest.id)) !== seen) {
    throw new AffectedListChangedError();
  }
  return seen;
}

export interface NewDetermination {
  ticket: Pick<Ticket, 'id' | 'merchantId'>;
  incidentId: number;
  outcome: DeterminationOutcome;
  evidence: DeterminationEvidence;
  /** Already sealed with FieldCipher; null for verified evidence. */
  sealedReason: string | null;
  actor: { type: 'user'; userId: number } | { type: 'end_user' };
  now: Date;
}

/**
 * Writes a determination inside the caller's transaction: the current one (if any) is
 * superseded, conditionally, and the new one becomes current. Two writers racing on one ticket:
 * the unique current marker or the conditional update lets one through; the other gets 409
 * STALE_VERSION and its transaction rolls back.
 */
export async function writeDetermination(
  manager: EntityManager,
  input: NewDetermination,
): Promise<{ determination: TicketDetermination; previous: TicketDetermination | null }> {
  const previous = await currentDetermination(manager, input.ticket.id, true);
  if (previous !== null) {
    const superseded = await manager
      .createQueryBuilder()
      .update(TicketDetermination)
      .set({ currentTicketId: null, supersededAt: input.now })
      .where('id = :id AND current_ticket_id IS NOT NULL', { id: previous.id })
      .execute();
    if (superseded.affected !== 1) throw concurrentDetermination();
  }
  const listUploadId = await listUploadIdUnderLock(
    manager,
    input.incidentId,
    input.ticket.merchantId,
  );
  const row: Omit<TicketDetermination, 'id'> = {
    ticketId: input.ticket.id,
    merchantId: input.ticket.merchantId,
    incidentId: input.incidentId,
    outcome: input.outcome,
    evidence: input.evidence,
    reason: input.sealedReason,
    listUploadId,
    actorType: input.actor.type,
    decidedByUserId: input.actor.type === 'user' ? input.actor.userId : null,
    createdAt: input.now,
    currentTicketId: input.ticket.id,
    supersededAt: null,
    reviewFlaggedAt: null,
    reviewReason: null,
    reviewUploadId: null,
  };
  try {
    const inserted = await manager.insert(TicketDetermination, row);
    const determination = { ...row, id: Number(inserted.identifiers[0]?.id) };
    return { determination, previous };
  } catch (error) {
    if (isUniqueViolation(error)) throw concurrentDetermination();
    throw error;
  }
}

function concurrentDetermination(): DomainException {
  return new DomainException(
    ErrorCode.StaleVersion,
    '同じお問い合わせの判定が同時に記録されました。ページを読み込み直してから、もう一度記録してください。',
  );
}

/** Flags one determination for review (conditional: an already flagged one keeps its first flag). */
export async function flagForReview(
  manager: EntityManager,
  ids: number[],
  reason: DeterminationReviewReason,
  uploadId: number | null,
  now: Date,
): Promise<number> {
  let flagged = 0;
  for (let i = 0; i < ids.length; i += FLAG_CHUNK) {
    const result = await manager
      .createQueryBuilder()
      .update(TicketDetermination)
      .set({ reviewFlaggedAt: now, reviewReason: reason, reviewUploadId: uploadId })
      .where('id IN (:...ids) AND review_flagged_at IS NULL', { ids: ids.slice(i, i + FLAG_CHUNK) })
      .execute();
    flagged += result.affected ?? 0;
  }
  return flagged;
}

interface EvidenceRow {
  id: number | string;
  evidence: DeterminationEvidence;
  reference: string;
  onList: number | string | boolean | null;
}

/**
 * Called once at the end of an affected-list import (replace or add), inside its transaction,
 * after the list holds its new values: every current determination of this incident and
 * merchant that rests on the list (a verified email on / not on it) and that the new list
 * contradicts — the email is now on the list of a "not included", or no longer on the list of
 * an "included" (or the list holds no email at all any more) — is flagged for review, with the
 * upload that caused it. The determination itself is never changed: from then on it allows no
 * leak answer until an agent records a new one. Agent determinations rest on their reason and
 * are left alone. Each flag is audited (`determination.review_flagged`, the uploader as actor)
 * at `now`, the upload's time. Returns how many were flagged.
 */
export async function flagDeterminationsAfterListChange(
  manager: EntityManager,
  incidentId: number,
  merchantId: number,
  uploadId: number,
  now: Date,
): Promise<number> {
  const scope = { incidentId, merchantId };
  const listHasEmails = await manager
    .getRepository(AffectedListEntry)
    .existsBy({ ...scope, kind: 'email' });
  const query = manager
    .createQueryBuilder(TicketDetermination, 'determination')
    .innerJoin(Ticket, 'ticket', 'ticket.id = determination.ticketId')
    .select('determination.id', 'id')
    .addSelect('determination.evidence', 'evidence')
    .addSelect('ticket.reference', 'reference');
  const onList = query
    .subQuery()
    .select('1')
    .from(AffectedListEntry, 'entry')
    .where('entry.incidentId = determination.incidentId')
    .andWhere('entry.merchantId = determination.merchantId')
    .andWhere('entry.valueIndex = ticket.requesterEmailIndex')
    .getQuery();
  const rows = await query
    .addSelect(`CASE WHEN EXISTS ${onList} THEN 1 ELSE 0 END`, 'onList')
    .where(
      'determination.incidentId = :incidentId AND determination.merchantId = :merchantId',
      scope,
    )
    .andWhere('determination.currentTicketId IS NOT NULL')
    .andWhere('determination.reviewFlaggedAt IS NULL')
    .andWhere('determination.evidence IN (:...verified)', {
      verified: ['verified_email_on_list', 'verified_email_not_on_list'],
    })
    .andWhere('ticket.requesterEmailIndex IS NOT NULL')
    .getRawMany<EvidenceRow>();
  const contradicted: { id: number; reference: string; reason: DeterminationReviewReason }[] = [];
  for (const row of rows) {
    const on = row.onList === true || Number(row.onList) === 1;
    if (row.evidence === 'verified_email_on_list' && !on) {
      contradicted.push({
        id: Number(row.id),
        reference: row.reference,
        reason: 'email_no_longer_on_list',
      });
    } else if (row.evidence === 'verified_email_not_on_list' && (on || !listHasEmails)) {
      contradicted.push({
        id: Number(row.id),
        reference: row.reference,
        reason: on ? 'email_now_on_list' : 'email_no_longer_on_list',
      });
    }
  }
  if (contradicted.length === 0) return 0;
  const upload = await manager
    .getRepository(AffectedListUpload)
    .findOne({ select: { id: true, uploadedByUserId: true }, where: { id: uploadId } });
  let flagged = 0;
  for (const reason of ['email_now_on_list', 'email_no_longer_on_list'] as const) {
    const ids = contradicted.filter((row) => row.reason === reason).map((row) => row.id);
    if (ids.length > 0) flagged += await flagForReview(manager, ids, reason, uploadId, now);
  }
  for (const row of contradicted) {
    await audit.record(
      manager,
      {
        actor: upload?.uploadedByUserId
          ? { type: 'user', id: upload.uploadedByUserId }
          : { type: 'system' },
        action: AUDIT_ACTIONS.determinationReviewFlagged,
        merchantId,
        target: { type: 'ticket', id: row.reference },
        detail: { determinationId: row.id, reason: row.reason, uploadId },
      },
      now,
    );
  }
  return flagged;
}

/** Determinations of a ticket, newest first (the current one first when there is one). */
export function determinationHistory(
  manager: EntityManager,
  ticketId: number,
  limit = 20,
): Promise<TicketDetermination[]> {
  return manager.getRepository(TicketDetermination).find({
    where: { ticketId },
    relations: { decidedBy: true },
    order: { id: 'DESC' },
    take: limit,
  });
}
