import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AnswerPurpose } from './answer-purpose.constant';
import { AnswerApproval } from './answer-approval.entity';
import { AnswerTemplateVersion } from './answer-template-version.entity';
import { AnswerTemplate } from './answer-template.entity';

/** An approved version of a template, as agents and the status page use it. */
export interface ApprovedAnswer {
  templateId: number;
  versionId: number;
  version: number;
  title: string;
  purpose: AnswerPurpose;
  /** Body with placeholders unfilled. */
  body: string;
  /** The incident the template belongs to (an addition to the issue-8 contract). */
  incidentId: number;
}

interface ApprovedRow {
  templateId: number | string;
  versionId: number | string;
  version: number | string;
  title: string;
  purpose: AnswerPurpose;
  body: string;
  incidentId: number | string;
}

/**
 * Which answers a merchant approved. The rule: a version counts for a merchant only with that
 * merchant's `approved` decision on that very version; of a template, the newest such version
 * (highest number) is the one in use.
 */
@Injectable()
export class ApprovedAnswerService {
  constructor(private readonly dataSource: DataSource) {}

  /** Every template of the incident whose latest approved version (for this merchant) exists. */
  async listApproved(merchantId: number, incidentId: number): Promise<ApprovedAnswer[]> {
    if (!Number.isInteger(merchantId) || !Number.isInteger(incidentId)) return [];
    const rows = await approvedQuery(this.dataSource.manager, merchantId)
      .andWhere('template.incidentId = :incidentId', { incidentId })
      .orderBy('template.id', 'ASC')
      .addOrderBy('version.version', 'DESC')
      .getRawMany<ApprovedRow>();
    return newestPerTemplate(rows);
  }

  /** The newest approved version for this merchant of a template of that purpose (newest template first), or null. */
  async latestApproved(
    merchantId: number,
    incidentId: number,
    purpose: AnswerPurpose,
  ): Promise<ApprovedAnswer | null> {
    if (!Number.isInteger(merchantId) || !Number.isInteger(incidentId)) return null;
    const row = await approvedQuery(this.dataSource.manager, merchantId)
      .andWhere('template.incidentId = :incidentId', { incidentId })
      .andWhere('template.purpose = :purpose', { purpose })
      .orderBy('template.id', 'DESC')
      .addOrderBy('version.version', 'DESC')
      .limit(1)
      .getRawOne<ApprovedRow>();
    return row ? toAnswer(row) : null;
  }

  /** The version row if approved for that merchant, else null (used when recording a reply). */
  async findApprovedVersion(merchantId: number, versionId: number): Promise<ApprovedAnswer | null> {
    return findApprovedVersionIn(this.dataSource.manager, merchantId, versionId);
  }
}

/** {@link ApprovedAnswerService.findApprovedVersion} inside the caller's transaction. */
export async function findApprovedVersionIn(
  manager: EntityManager,
  merchantId: number,
  versionId: number,
): Promise<ApprovedAnswer | null> {
  if (!Number.isInteger(merchantId) || !Number.isInteger(versionId)) return null;
  const row = await approvedQuery(manager, merchantId)
    .andWhere('version.id = :versionId', { versionId })
    .getRawOne<ApprovedRow>();
  return row ? toAnswer(row) : null;
}

/**
 * The newest approved version for the merchant of each of `templateIds` (versionId by
 * templateId), inside the caller's transaction.
 */
export async function newestApprovedVersions(
  manager: EntityManager,
  merchantId: number,
  templateIds: number[],
): Promise<Map<number, ApprovedAnswer>> {
  if (templateIds.length === 0) return new Map();
  const rows = await approvedQuery(manager, merchantId)
    .andWhere('template.id IN (:...templateIds)', { templateIds })
    .orderBy('template.id', 'ASC')
    .addOrderBy('version.version', 'DESC')
    .getRawMany<ApprovedRow>();
  return new Map(newestPerTemplate(rows).map((answer) => [answer.templateId, answer]));
}

function approvedQuery(manager: EntityManager, merchantId: number) {
  return manager
    .createQueryBuilder(AnswerTemplateVersion, 'version')
    .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
    .innerJoin(
      AnswerApproval,
      'approval',
      'approval.versionId = version.id AND approval.merchantId = :merchantId AND approval.decision = :approved',
      { merchantId, approved: 'approved' },
    )
    .select('template.id', 'templateId')
    .addSelect('version.id', 'versionId')
    .addSelect('version.version', 'version')
    .addSelect('template.title', 'title')
    .addSelect('template.purpose', 'purpose')
    .addSelect('version.body', 'body')
    .addSelect('template.incidentId', 'incidentId');
}

/** Rows ordered by template, then version descending: the first of each template. */
function newestPerTemplate(rows: ApprovedRow[]): ApprovedAnswer[] {
  const seen = new Set<number>();
  const answers: ApprovedAnswer[] = [];
  for (const row of rows) {
    const answer = toAnswer(row);
    if (seen.has(answer.templateId)) continue;
    seen.add(answer.templateId);
    answers.push(answer);
  }
  return answers;
}

function toAnswer(row: ApprovedRow): ApprovedAnswer {
  return {
    templateId: Number(row.templateId),
    versionId: Number(row.versionId),
    version: Number(row.version),
    title: row.title,
    purpose: row.purpose,
    body: row.body,
    incidentId: Number(row.incidentId),
  };
}
