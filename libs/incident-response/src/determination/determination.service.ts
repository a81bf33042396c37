import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DomainException,
  ErrorCode,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { assertStaffScope, type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { findScopedTicket } from '@madoguchi/tickets';
import { incidentOfTicket } from '../affected-list/affected-list-match.util';
import { AffectedListUpload } from '../affected-list/affected-list-upload.entity';
import {
  DETERMINATION_REASON_MAX_LENGTH,
  type DeterminationActor,
  type DeterminationEvidence,
  type DeterminationOutcome,
  type DeterminationReviewReason,
  isDeterminationOutcome,
} from './determination.constant';
import {
  determinationHistory,
  determinationMismatch,
  retryWhenListChanged,
  writeDetermination,
} from './determination.rules';
import type { TicketDetermination } from './ticket-determination.entity';

/** One determination as agents and merchant users see it. */
export interface DeterminationView {
  id: number;
  outcome: DeterminationOutcome;
  evidence: DeterminationEvidence;
  /** The agent's reason (decrypted); null for verified evidence, or once retention erased it. */
  reason: string | null;
  actor: DeterminationActor;
  /** The desk user who made it; null for the end user's verified check. */
  decidedBy: { id: number; displayName: string } | null;
  createdAt: Date;
  incidentId: number;
  /** The affected-list upload it was made against (the newest then), with its time. */
  listUpload: { id: number; createdAt: Date; listSize: number } | null;
  /** Set when a list upload (or a verification) contradicted it: it allows no leak answer. */
  review: {
    flaggedAt: Date;
    reason: DeterminationReviewReason;
    uploadId: number | null;
  } | null;
  /** null while current. */
  supersededAt: Date | null;
}

/** A ticket's determinations: the current one, which leak answers it allows, and the history. */
export interface TicketDeterminationState {
  current: DeterminationView | null;
  /** Which leak answers may go to the ticket now. */
  allows: { leak_included: boolean; leak_not_included: boolean };
  /** Every determination, newest first (the current one included), at most 20. */
  history: DeterminationView[];
}

export interface AgentDeterminationInput {
  outcome: unknown;
  reason: unknown;
}

/**
 * Determinations on tickets (issue 13.1): reading them (inside the audited view of the ticket)
 * and an agent's explicit determination with its required reason. The evidence-based ones are
 * written by the status page's check ({@link LeakCheckService}); list uploads flag them for
 * review ({@link flagDeterminationsAfterListChange}).
 */
@Injectable()
export class TicketDeterminationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The ticket's determinations as the scope may see them; another merchant's ticket is 404. */
  async forTicket(scope: TenantScope, reference: string): Promise<TicketDeterminationState> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    const rows = await determinationHistory(manager, ticket.id);
    const uploadIds = [...new Set(rows.map((row) => row.listUploadId).filter((id) => id !== null))];
    const uploads =
      uploadIds.length === 0
        ? []
        : await manager
            .getRepository(AffectedListUpload)
            .createQueryBuilder('upload')
            .select(['upload.id', 'upload.createdAt', 'upload.listSize'])
            .whereInIds(uploadIds)
            .getMany();
    const byId = new Map(uploads.map((upload) => [upload.id, upload]));
    const history = rows.map((row) => this.view(row, byId));
    const current = history.find((row) => row.supersededAt === null) ?? null;
    return {
      current,
      allows: {
        leak_included: determinationMismatch(currentOf(rows), 'included') === null,
        leak_not_included: determinationMismatch(currentOf(rows), 'not_included') === null,
      },
      history,
    };
  }

  /**
   * An agent's explicit determination: an outcome and a reason (required: what was checked,
   * e.g. "order number matched and identity checked on the phone"), made against the newest list
   * upload. It supersedes the current determination (and clears a review flag with it). The
   * reason is sealed at rest and never written to the audit trail. Merchant users: 403; another
   * merchant's ticket: 404; no reason or outcome: 400; nothing written on any refusal.
   */
  async recordByAgent(
    scope: TenantScope,
    reference: string,
    input: AgentDeterminationInput,
    actor: TicketActor,
  ): Promise<TicketDeterminationState> {
    const outcome = input.outcome;
    const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
    const errors = [
      ...(isDeterminationOutcome(outcome)
        ? []
        : [
            { field: 'outcome', message: '判定（含まれている／含まれていない）を選んでください。' },
          ]),
      ...(reason === ''
        ? [{ field: 'reason', message: '判定の根拠を入力してください。' }]
        : reason.length > DETERMINATION_REASON_MAX_LENGTH
          ? [
              {
                field: 'reason',
                message: `判定の根拠は${DETERMINATION_REASON_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
              },
            ]
          : []),
    ];
    // Run again when a list upload lands mid-write (determination.rules, listUploadIdUnderLock).
    await retryWhenListChanged(() =>
      runTransaction(this.dataSource, async (manager) => {
        // Found first, refused second: another merchant's ticket stays a 404, never a 403 or 400.
        const ticket = await findScopedTicket(manager, scope, reference);
        assertStaffScope(scope);
        if (errors.length > 0) throw new ValidationFailedException(errors);
        if (ticket.erasedAt !== null) {
          throw new DomainException(
            ErrorCode.InvalidStatusTransition,
            '個人情報を消去したお問い合わせには判定を記録できません。',
          );
        }
        const incident = await incidentOfTicket(manager, ticket);
        if (incident === null) {
          throw new ValidationFailedException(
            [
              {
                field: 'outcome',
                message: 'インシデントに関わるお問い合わせにだけ判定を記録できます。',
              },
            ],
            'このお問い合わせの加盟店に関わるインシデントがありません。',
          );
        }
        const now = this.clock.now();
        const { determination, previous } = await writeDetermination(manager, {
          ticket,
          incidentId: incident.id,
          outcome: outcome as DeterminationOutcome,
          evidence: 'agent',
          sealedReason: this.cipher.encrypt(reason),
          actor: { type: 'user', userId: actor.userId },
          now,
        });
        await this.audit.record(
          manager,
          {
            actor: { type: 'user', id: actor.userId },
            action: AUDIT_ACTIONS.determinationRecorded,
            merchantId: ticket.merchantId,
            target: { type: 'ticket', id: ticket.reference },
            ip: actor.ip,
            detail: {
              determinationId: determination.id,
              outcome: determination.outcome,
              evidence: determination.evidence,
              incidentId: incident.id,
              listUploadId: determination.listUploadId,
              ...(previous === null
                ? {}
                : {
                    supersededId: previous.id,
                    previousOutcome: previous.outcome,
                    ...(previous.reviewFlaggedAt === null ? {} : { reviewCleared: true }),
                  }),
            },
          },
          now,
        );
      }),
    );
    return this.forTicket(scope, reference);
  }

  private view(
    row: TicketDetermination,
    uploads: Map<number, AffectedListUpload>,
  ): DeterminationView {
    const upload = row.listUploadId === null ? undefined : uploads.get(row.listUploadId);
    return {
      id: row.id,
      outcome: row.outcome,
      evidence: row.evidence,
      reason: this.cipher.decryptNullable(row.reason),
      actor: row.actorType,
      decidedBy: row.decidedBy
        ? { id: row.decidedBy.id, displayName: row.decidedBy.displayName }
        : null,
      createdAt: row.createdAt,
      incidentId: row.incidentId,
      listUpload: upload
        ? { id: upload.id, createdAt: upload.createdAt, listSize: upload.listSize }
        : null,
      review:
        row.reviewFlaggedAt === null || row.reviewReason === null
          ? null
          : {
              flaggedAt: row.reviewFlaggedAt,
              reason: row.reviewReason,
              uploadId: row.reviewUploadId,
            },
      supersededAt: row.supersededAt,
    };
  }
}

function currentOf(rows: TicketDetermination[]): TicketDetermination | null {
  return rows.find((row) => row.currentTicketId !== null) ?? null;
}
