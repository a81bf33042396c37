import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, type AuditSubject, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  type FieldError,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import {
  Merchant,
  Site,
  assertStaffScope,
  merchantInScope,
  scopedQueueQuery,
  type TicketActor,
  type TenantScope,
} from '@madoguchi/tenancy';
import { findScopedTicket } from '../ticket/ticket-write.util';
import type { CannedResponseView } from '../ticket/ticket-view.type';
import { renderCannedResponse } from './canned-placeholder.util';
import { TicketViewAuditService } from '../view-audit/ticket-view-audit.service';
import { CannedResponse } from './canned-response.entity';

export const CANNED_TITLE_MAX_LENGTH = 200;
export const CANNED_BODY_MAX_LENGTH = 10_000;

export interface CannedResponseInput {
  /** null: global, offered on every merchant's tickets. */
  merchantId: number | null;
  title: string;
  body: string;
}

const NOT_FOUND = '定型文が見つかりません。';

/**
 * Canned responses: global ones and each merchant's own. A merchant's texts exist only within
 * scopes that may see that merchant; writing them is for staff (the desk adds the permission).
 */
@Injectable()
export class CannedResponseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly views: TicketViewAuditService,
    private readonly clock: Clock,
  ) {}

  /** The global texts and those of `merchantId`, by title. */
  async listFor(scope: TenantScope, merchantId: number): Promise<CannedResponseView[]> {
    const manager = this.dataSource.manager;
    if (!Number.isInteger(merchantId) || !(await merchantInScope(manager, scope, merchantId))) {
      throw new NotFoundException('加盟店が見つかりません。');
    }
    const rows = await manager.getRepository(CannedResponse).find({
      where: [{ merchantId: IsNull() }, { merchantId }],
      order: { title: 'ASC', id: 'ASC' },
    });
    return rows.map(toView);
  }

  /** Staff only: every text the scope may manage (global and per merchant). */
  async listAll(scope: TenantScope): Promise<CannedResponseView[]> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const rows = await manager
      .getRepository(CannedResponse)
      .find({ order: { merchantId: 'ASC', title: 'ASC', id: 'ASC' } });
    const queues = await scopedQueueQuery(manager, scope)
      .select(['queue.id', 'queue.merchantId'])
      .getMany();
    const merchants = new Set(queues.map((queue) => queue.merchantId));
    return rows
      .filter((row) => row.merchantId === null || merchants.has(row.merchantId))
      .map(toView);
  }

  /**
   * A canned response filled in for one ticket: {{name}} the requester, {{reference}},
   * {{merchant}}, {{site}}, {{agent}} the acting user. Another merchant's text is NotFound.
   * Filling in {{name}} reads the requester's personal data, so it is audited as a
   * ticket.viewed (via canned_response), like the ticket detail. Without an `actor`, the
   * scope's user is recorded with no ip.
   */
  async renderFor(
    scope: TenantScope,
    reference: string,
    id: number,
    actor: TicketActor,
  ): Promise<string> {
    const manager = this.dataSource.manager;
    const ticket = await findScopedTicket(manager, scope, reference);
    const canned = Number.isInteger(id)
      ? await manager.getRepository(CannedResponse).findOneBy({ id })
      : null;
    if (!canned || (canned.merchantId !== null && canned.merchantId !== ticket.merchantId)) {
      throw new NotFoundException(NOT_FOUND);
    }
    const [merchant, site, agent] = await Promise.all([
      manager.getRepository(Merchant).findOneByOrFail({ id: ticket.merchantId }),
      ticket.siteId === null
        ? Promise.resolve(null)
        : manager.getRepository(Site).findOneBy({ id: ticket.siteId }),
      manager
        .getRepository(User)
        .findOne({ select: { id: true, displayName: true }, where: { id: scope.userId } }),
    ]);
    // Decrypting the requester's name is the audited act, so record it before answering.
    await this.views.recordView(ticket, actor, { via: 'canned_response' });
    return renderCannedResponse(canned.body, {
      name: this.cipher.decryptNullable(ticket.requesterName),
      reference: ticket.reference,
      merchant: merchant.name,
      site: site?.displayName ?? merchant.name,
      agent: agent?.displayName ?? null,
    });
  }

  async create(
    scope: TenantScope,
    input: CannedResponseInput,
    actor: TicketActor,
  ): Promise<CannedResponseView> {
    assertStaffScope(scope);
    const { title, body } = validCanned(input);
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      await this.assertMerchantVisible(manager, scope, input.merchantId);
      const saved = await manager.save(
        manager.create(CannedResponse, {
          merchantId: input.merchantId,
          title,
          body,
          updatedByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.cannedResponseSaved, cannedAuditSubject(saved), {
          created: true,
        });
      return toView(saved);
    });
  }

  async update(
    scope: TenantScope,
    id: number,
    input: { title: string; body: string },
    actor: TicketActor,
  ): Promise<CannedResponseView> {
    const { title, body } = validCanned(input);
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      const canned = await this.findManageable(manager, scope, id);
      assertStaffScope(scope);
      await manager.update(
        CannedResponse,
        { id: canned.id },
        { title, body, updatedByUserId: actor.userId, updatedAt: now },
      );
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.cannedResponseSaved, cannedAuditSubject(canned), {
          created: false,
        });
      return toView({ ...canned, title, body, updatedAt: now });
    });
  }

  async remove(scope: TenantScope, id: number, actor: TicketActor): Promise<void> {
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const canned = await this.findManageable(manager, scope, id);
      assertStaffScope(scope);
      await manager.delete(CannedResponse, { id: canned.id });
      await this.audit
        .by(actor, manager, now)
        .record(AUDIT_ACTIONS.cannedResponseDeleted, cannedAuditSubject(canned), {});
    });
  }

  private async findManageable(
    manager: EntityManager,
    scope: TenantScope,
    id: number,
  ): Promise<CannedResponse> {
    const canned = Number.isInteger(id)
      ? await manager.getRepository(CannedResponse).findOneBy({ id })
      : null;
    if (
      !canned ||
      (canned.merchantId !== null && !(await merchantInScope(manager, scope, canned.merchantId)))
    ) {
      throw new NotFoundException(NOT_FOUND);
    }
    return canned;
  }

  private async assertMerchantVisible(
    manager: EntityManager,
    scope: TenantScope,
    merchantId: number | null,
  ): Promise<void> {
    if (merchantId === null) return;
    if (!Number.isInteger(merchantId) || !(await merchantInScope(manager, scope, merchantId))) {
      throw new ValidationFailedException([
        { field: 'merchantId', message: '加盟店が見つかりません。' },
      ]);
    }
  }
}

function cannedAuditSubject(canned: CannedResponse): AuditSubject {
  return { merchantId: canned.merchantId, target: { type: 'canned_response', id: canned.id } };
}

function validCanned(input: { title: unknown; body: unknown }): { title: string; body: string } {
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  const body = typeof input.body === 'string' ? input.body.trim() : '';
  const errors: FieldError[] = [];
  if (title === '') errors.push({ field: 'title', message: '件名を入力してください。' });
  else if (title.length > CANNED_TITLE_MAX_LENGTH) {
    errors.push({
      field: 'title',
      message: `件名は${CANNED_TITLE_MAX_LENGTH}文字以内で入力してください。`,
    });
  }
  if (body === '') errors.push({ field: 'body', message: '本文を入力してください。' });
  else if (body.length > CANNED_BODY_MAX_LENGTH) {
    errors.push({
      field: 'body',
      message: `本文は${CANNED_BODY_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
    });
  }
  if (errors.length > 0) throw new ValidationFailedException(errors);
  return { title, body };
}

function toView(row: CannedResponse): CannedResponseView {
  return {
    id: row.id,
    merchantId: row.merchantId,
    title: row.title,
    body: row.body,
    updatedAt: row.updatedAt,
  };
}
