import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, type AuditSubject, AuditService } from '@madoguchi/audit';
import { User } from '@madoguchi/auth';
import {
  Clock,
  DomainException,
  ErrorCode,
  type FieldError,
  isUniqueViolation,
  type MerchantScope,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { OutboxService } from '@madoguchi/mail';
import { Merchant } from '@madoguchi/tenancy';
import type { IncidentActor } from '../incident/incident-actor.type';
import { IncidentMerchant } from '../incident/incident-merchant.entity';
import { isMerchantAffected } from '../incident/incident.service';
import { Incident } from '../incident/incident.entity';
import {
  ANSWER_DECISIONS,
  type AnswerDecision,
  type AnswerPurpose,
} from './answer-purpose.constant';
import { AnswerApproval } from './answer-approval.entity';
import {
  ANSWER_COMMENT_MAX_LENGTH,
  type AnswerTemplateInput,
  faqPlaceholderErrors,
  validateAnswerTemplateInput,
  validateAnswerText,
} from './answer-template-input.validator';
import { AnswerTemplateVersion } from './answer-template-version.entity';
import { AnswerTemplate } from './answer-template.entity';
import { approvalRequestMail } from './approval-request-mail.template';

export interface AnswerApprovalView {
  merchantId: number;
  decision: AnswerDecision;
  comment: string | null;
  decidedAt: Date;
  decidedByName: string | null;
}

export interface AnswerVersionView {
  id: number;
  version: number;
  body: string;
  createdAt: Date;
  /** Staff: every merchant's decision; a merchant: its own only. */
  approvals: AnswerApprovalView[];
}

export interface AnswerTemplateView {
  id: number;
  incidentId: number;
  title: string;
  purpose: AnswerPurpose;
  createdAt: Date;
  /** Newest first. */
  versions: AnswerVersionView[];
}

export interface AnswerDecisionInput {
  decision: string;
  comment?: string | null;
}

const TEMPLATE_NOT_FOUND = '回答テンプレートが見つかりません。';
const VERSION_NOT_FOUND = '回答テンプレートの版が見つかりません。';
const INCIDENT_NOT_FOUND = 'インシデントが見つかりません。';

/**
 * Answer templates of an incident. The operator drafts them (setup.manage); every edit of the
 * text writes a new immutable version; each affected merchant approves a version, or requests
 * changes with a comment, for its own customers. One decision per merchant and version: a
 * later decision on the same version replaces the earlier one (so a merchant can withdraw an
 * approval), and each decision is audited.
 */
@Injectable()
export class AnswerTemplateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Staff: the incident's templates with their versions and every merchant's decisions. */
  async listForIncident(incidentId: number): Promise<AnswerTemplateView[]> {
    const manager = this.dataSource.manager;
    await findIncident(manager, incidentId);
    return loadTemplates(manager, incidentId, null);
  }

  /** A merchant: the templates of an incident that affects it, with its own decisions only. */
  async listForMerchant(scope: MerchantScope, incidentId: number): Promise<AnswerTemplateView[]> {
    const { merchantId } = scope;
    const manager = this.dataSource.manager;
    if (!(await isMerchantAffected(manager, merchantId, incidentId))) {
      throw new NotFoundException(INCIDENT_NOT_FOUND);
    }
    return loadTemplates(manager, incidentId, merchantId);
  }

  /** Staff: one template (for its edit form). */
  async getTemplate(templateId: number): Promise<AnswerTemplateView> {
    const manager = this.dataSource.manager;
    const template = await findTemplate(manager, templateId);
    const [view] = (await loadTemplates(manager, template.incidentId, null)).filter(
      (candidate) => candidate.id === template.id,
    );
    return view;
  }

  /** The incident a version belongs to (NotFound for an unknown version). */
  async incidentIdOfVersion(versionId: number): Promise<number> {
    const manager = this.dataSource.manager;
    const version = Number.isInteger(versionId)
      ? await manager.findOneBy(AnswerTemplateVersion, { id: versionId })
      : null;
    if (!version) throw new NotFoundException(VERSION_NOT_FOUND);
    return (await findTemplate(manager, version.templateId)).incidentId;
  }

  /** A new template with its version 1. */
  async create(
    incidentId: number,
    input: AnswerTemplateInput,
    actor: IncidentActor,
  ): Promise<AnswerTemplateView> {
    const values = validateAnswerTemplateInput(input);
    const now = this.clock.now();
    const templateId = await runTransaction(this.dataSource, async (manager) => {
      const incident = await findIncident(manager, incidentId);
      const template = await manager.save(
        manager.create(AnswerTemplate, {
          incidentId: incident.id,
          title: values.title,
          purpose: values.purpose,
          createdAt: now,
        }),
      );
      const version = await manager.save(
        manager.create(AnswerTemplateVersion, {
          templateId: template.id,
          version: 1,
          body: values.body,
          createdByUserId: actor.userId,
          createdAt: now,
        }),
      );
      const approvalRequests = await this.requestApprovals(manager, incident, template, version);
      await this.audit
        .by(actor, manager)
        .record(AUDIT_ACTIONS.answerTemplateCreated, templateAuditSubject(null, template.id), {
          incidentId: incident.id,
          purpose: values.purpose,
          versionId: version.id,
          version: 1,
          approvalRequests,
        });
      return template.id;
    });
    return this.getTemplate(templateId);
  }

  /**
   * An edit: a changed body writes the next version (earlier versions and their approvals
   * stay as they were); a changed title renames the template. Nothing changed is an error.
   */
  async edit(
    templateId: number,
    input: { title: string; body: string },
    actor: IncidentActor,
  ): Promise<AnswerTemplateView> {
    const values = validateAnswerText(input);
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const template = await findTemplate(manager, templateId);
      // A public (faq) answer cannot hold a placeholder that needs a ticket (issue 13.6).
      const faqErrors: FieldError[] = [];
      if (template.purpose === 'faq' && faqPlaceholderErrors(values.body, faqErrors))
        throw new ValidationFailedException(faqErrors);
      const latest = await manager.findOne(AnswerTemplateVersion, {
        where: { templateId: template.id },
        order: { version: 'DESC' },
      });
      const bodyChanged = latest?.body !== values.body;
      const titleChanged = template.title !== values.title;
      if (!bodyChanged && !titleChanged) {
        throw new ValidationFailedException([
          { field: 'body', message: '変更がありません。本文か件名を変更してください。' },
        ]);
      }
      if (titleChanged) {
        await manager.update(AnswerTemplate, { id: template.id }, { title: values.title });
      }
      let version: AnswerTemplateVersion | null = null;
      if (bodyChanged) {
        version = await manager.save(
          manager.create(AnswerTemplateVersion, {
            templateId: template.id,
            version: (latest?.version ?? 0) + 1,
            body: values.body,
            createdByUserId: actor.userId,
            createdAt: now,
          }),
        );
      }
      const approvalRequests =
        version === null
          ? 0
          : await this.requestApprovals(
              manager,
              await findIncident(manager, template.incidentId),
              { ...template, title: values.title },
              version,
            );
      await this.audit
        .by(actor, manager)
        .record(AUDIT_ACTIONS.answerTemplateEdited, templateAuditSubject(null, template.id), {
          incidentId: template.incidentId,
          titleChanged,
          versionId: version?.id ?? null,
          version: version?.version ?? null,
          approvalRequests,
        });
    }).catch((error: unknown) => {
      // Two edits at once both chose the next number; the unique key let one through.
      if (isUniqueViolation(error)) {
        throw new DomainException(
          ErrorCode.StaleVersion,
          '同時に別の編集が保存されました。最新の版を確認してからもう一度編集してください。',
        );
      }
      throw error;
    });
    return this.getTemplate(templateId);
  }

  /**
   * A merchant's decision on one version. The version must belong to an incident that
   * affects the merchant, else NotFound (another merchant's answers do not exist for it).
   * `changes_requested` needs a comment.
   */
  async decide(
    scope: MerchantScope,
    versionId: number,
    input: AnswerDecisionInput,
    actor: IncidentActor,
  ): Promise<AnswerApprovalView> {
    const { merchantId } = scope;
    const decision = (ANSWER_DECISIONS as readonly string[]).includes(input.decision)
      ? (input.decision as AnswerDecision)
      : null;
    const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
    const errors: FieldError[] = [];
    if (decision === null) errors.push({ field: 'decision', message: '判断を選択してください。' });
    if (decision === 'changes_requested' && comment === '') {
      errors.push({ field: 'comment', message: '修正してほしい点をコメントに入力してください。' });
    }
    if (comment.length > ANSWER_COMMENT_MAX_LENGTH) {
      errors.push({
        field: 'comment',
        message: `コメントは${ANSWER_COMMENT_MAX_LENGTH.toLocaleString('ja-JP')}文字以内で入力してください。`,
      });
    }
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      // Ownership first: another merchant's version is NotFound even with bad input.
      const version = Number.isInteger(versionId)
        ? await manager.findOneBy(AnswerTemplateVersion, { id: versionId })
        : null;
      const template = version
        ? await manager.findOneBy(AnswerTemplate, { id: version.templateId })
        : null;
      if (
        !version ||
        !template ||
        !(await isMerchantAffected(manager, merchantId, template.incidentId))
      ) {
        throw new NotFoundException(VERSION_NOT_FOUND);
      }
      if (errors.length > 0) throw new ValidationFailedException(errors);
      const values = {
        decision: decision as AnswerDecision,
        comment: comment === '' ? null : comment,
        decidedByUserId: actor.userId,
        decidedAt: now,
      };
      const existing = await manager.findOneBy(AnswerApproval, {
        versionId: version.id,
        merchantId,
      });
      if (existing) await manager.update(AnswerApproval, { id: existing.id }, values);
      else await manager.insert(AnswerApproval, { versionId: version.id, merchantId, ...values });
      await this.audit
        .by(actor, manager)
        .record(
          values.decision === 'approved'
            ? AUDIT_ACTIONS.answerVersionApproved
            : AUDIT_ACTIONS.answerVersionChangesRequested,
          templateAuditSubject(merchantId, template.id),
          {
            incidentId: template.incidentId,
            versionId: version.id,
            version: version.version,
            replaced: existing?.decision ?? null,
          },
        );
      const user = await manager.findOne(User, {
        select: { id: true, displayName: true },
        where: { id: actor.userId },
      });
      return { merchantId, ...values, decidedByName: user?.displayName ?? null };
    }).catch((error: unknown) => {
      // Two first decisions on one version at once: the unique key let one through.
      if (isUniqueViolation(error)) {
        throw new DomainException(
          ErrorCode.StaleVersion,
          '同時に別の判断が保存されました。画面を読み込み直して確認してください。',
        );
      }
      throw error;
    });
  }

  /**
   * Issue 13.3: a new version awaits approval, so every active merchant_admin of each merchant
   * the incident affects gets a mail (through the outbox, in the caller's transaction: no mail
   * for a version that was not stored). Returns how many mails were queued.
   */
  private async requestApprovals(
    manager: EntityManager,
    incident: Incident,
    template: Pick<AnswerTemplate, 'title'>,
    version: AnswerTemplateVersion,
  ): Promise<number> {
    const lines = await manager.find(IncidentMerchant, {
      where: { incidentId: incident.id, affected: true },
    });
    if (lines.length === 0) return 0;
    const merchantIds = lines.map((line) => line.merchantId);
    const [merchants, admins] = await Promise.all([
      manager.find(Merchant, { where: { id: In(merchantIds) } }),
      manager.find(User, {
        select: { id: true, email: true, merchantId: true },
        where: { role: 'merchant_admin', merchantId: In(merchantIds), disabledAt: IsNull() },
        order: { id: 'ASC' },
      }),
    ]);
    const nameOf = new Map(merchants.map((merchant) => [merchant.id, merchant.name]));
    const url = `${this.config.http.deskPublicUrl}/portal/incidents/${incident.id}#version-${version.id}`;
    for (const admin of admins) {
      await this.outbox.enqueueMail(
        manager,
        approvalRequestMail({
          to: admin.email,
          merchantName: nameOf.get(admin.merchantId as number) ?? '',
          incidentTitle: incident.title,
          templateTitle: template.title,
          version: version.version,
          url,
        }),
        version.createdAt,
      );
    }
    return admins.length;
  }
}

/** A template as the audit trail names it; `merchantId` is the deciding merchant's, else null. */
function templateAuditSubject(merchantId: number | null, templateId: number): AuditSubject {
  return { merchantId, target: { type: 'answer_template', id: templateId } };
}

async function findIncident(manager: EntityManager, id: number): Promise<Incident> {
  const incident = Number.isInteger(id) ? await manager.findOneBy(Incident, { id }) : null;
  if (!incident) throw new NotFoundException(INCIDENT_NOT_FOUND);
  return incident;
}

async function findTemplate(manager: EntityManager, id: number): Promise<AnswerTemplate> {
  const template = Number.isInteger(id) ? await manager.findOneBy(AnswerTemplate, { id }) : null;
  if (!template) throw new NotFoundException(TEMPLATE_NOT_FOUND);
  return template;
}

/** Templates by id, versions newest first, decisions of `merchantId` (null: everyone's). */
async function loadTemplates(
  manager: EntityManager,
  incidentId: number,
  merchantId: number | null,
): Promise<AnswerTemplateView[]> {
  const templates = await manager.find(AnswerTemplate, {
    where: { incidentId },
    order: { id: 'ASC' },
  });
  if (templates.length === 0) return [];
  const versions = await manager.find(AnswerTemplateVersion, {
    where: { templateId: In(templates.map((template) => template.id)) },
    order: { version: 'DESC' },
  });
  const approvals =
    versions.length === 0
      ? []
      : await manager.find(AnswerApproval, {
          where: {
            versionId: In(versions.map((version) => version.id)),
            ...(merchantId === null ? {} : { merchantId }),
          },
          order: { merchantId: 'ASC' },
        });
  const userIds = [...new Set(approvals.map((approval) => approval.decidedByUserId))];
  const users =
    userIds.length === 0
      ? []
      : await manager.find(User, {
          select: { id: true, displayName: true },
          where: { id: In(userIds) },
        });
  const nameOf = new Map(users.map((user) => [user.id, user.displayName]));
  return templates.map((template) => ({
    id: template.id,
    incidentId: template.incidentId,
    title: template.title,
    purpose: template.purpose,
    createdAt: template.createdAt,
    versions: versions
      .filter((version) => version.templateId === template.id)
      .map((version) => ({
        id: version.id,
        version: version.version,
        body: version.body,
        createdAt: version.createdAt,
        approvals: approvals
          .filter((approval) => approval.versionId === version.id)
          .map((approval) => ({
            merchantId: approval.merchantId,
            decision: approval.decision,
            comment: approval.comment,
            decidedAt: approval.decidedAt,
            decidedByName: nameOf.get(approval.decidedByUserId) ?? null,
          })),
      })),
  }));
}
