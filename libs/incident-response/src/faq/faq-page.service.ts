import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  Clock,
  datesOf,
  type MerchantScope,
  renderCannedResponse,
  resolveTokyoRange,
  type TokyoDateRange,
} from '@madoguchi/common';
import {
  AnswerApproval,
  AnswerTemplate,
  AnswerTemplateVersion,
  IncidentMerchant,
} from '@madoguchi/incidents';
import type { SiteWithMerchant } from '@madoguchi/tenancy';
import { upsertFaqPageCounter } from '@madoguchi/tickets';
import { FaqPageStat } from './faq-page-stat.entity';

/** The placeholders a `faq` answer may hold: the public page has no ticket, no shopper, no agent. */
export const FAQ_PLACEHOLDERS = ['merchant', 'site'] as const;

/** The longest range of FAQ statistics read at once. */
export const FAQ_STATS_MAX_DAYS = 366;
export const FAQ_STATS_DEFAULT_DAYS = 30;

/** One merchant-approved public answer, filled for the site. */
export interface FaqAnswer {
  templateId: number;
  versionId: number;
  version: number;
  title: string;
  /** `{{merchant}}` and `{{site}}` filled; plain text (pages escape it). */
  body: string;
  /** When the merchant approved this version. */
  approvedAt: Date;
  incidentId: number;
}

export interface FaqStatsDay {
  date: string;
  views: number;
  inquiries: number;
}

/** Views of the public incident page and inquiries sent after reading it, over a range. */
export interface FaqStats extends TokyoDateRange {
  views: number;
  inquiries: number;
  days: FaqStatsDay[];
}

/** One merchant's line of the operator's overview. */
export interface FaqMerchantTotals {
  merchantId: number;
  views: number;
  inquiries: number;
}

interface FaqRow {
  templateId: number | string;
  versionId: number | string;
  version: number | string;
  title: string;
  body: string;
  incidentId: number | string;
}

/**
 * The public incident page (`/s/{site}/incident`, issue 13.6): the `faq` answers the site's
 * merchant approved, for the incidents that affect it, and the page's counters.
 *
 * Read rule: a version is shown only with the merchant's own `approved` decision on that very
 * version, only of a template of purpose `faq`, only of an incident whose line says the
 * merchant is affected; of a template, the newest such version. The merchant id comes from the
 * site, never from the request, so another merchant's answers cannot be asked for.
 */
@Injectable()
export class FaqPageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async answers(target: SiteWithMerchant): Promise<FaqAnswer[]> {
    const merchantId = target.merchant.id;
    if (!Number.isInteger(merchantId) || merchantId <= 0) return [];
    const rows = await this.dataSource.manager
      .createQueryBuilder(AnswerTemplateVersion, 'version')
      .innerJoin(AnswerTemplate, 'template', 'template.id = version.templateId')
      .innerJoin(
        AnswerApproval,
        'approval',
        'approval.versionId = version.id AND approval.merchantId = :merchantId AND approval.decision = :approved',
        { merchantId, approved: 'approved' },
      )
      .innerJoin(
        IncidentMerchant,
        'line',
        'line.incidentId = template.incidentId AND line.merchantId = :merchantId AND line.affected = :affected',
        { merchantId, affected: true },
      )
      .where('template.purpose = :purpose', { purpose: 'faq' })
      .select('template.id', 'templateId')
      .addSelect('version.id', 'versionId')
      .addSelect('version.version', 'version')
      .addSelect('template.title', 'title')
      .addSelect('version.body', 'body')
      .addSelect('template.incidentId', 'incidentId')
      .orderBy('template.incidentId', 'DESC')
      .addOrderBy('template.id', 'ASC')
      .addOrderBy('version.version', 'DESC')
      .getRawMany<FaqRow>();
    const values = { merchant: target.merchant.name, site: target.site.displayName };
    const newest: FaqRow[] = [];
    const seen = new Set<number>();
    for (const row of rows) {
      if (seen.has(Number(row.templateId))) continue;
      seen.add(Number(row.templateId));
      newest.push(row);
    }
    if (newest.length === 0) return [];
    // The decision's time through the entity (a Date on both databases), the same rows' approvals.
    const approvals = await this.dataSource.manager.find(AnswerApproval, {
      select: { versionId: true, decidedAt: true },
      where: {
        merchantId,
        decision: 'approved',
        versionId: In(newest.map((row) => Number(row.versionId))),
      },
    });
    const approvedAt = new Map(
      approvals.map((approval) => [approval.versionId, approval.decidedAt]),
    );
    const answers: FaqAnswer[] = [];
    for (const row of newest) {
      const templateId = Number(row.templateId);
      answers.push({
        templateId,
        versionId: Number(row.versionId),
        version: Number(row.version),
        title: row.title,
        body: renderCannedResponse(row.body, values),
        approvedAt: approvedAt.get(Number(row.versionId)) ?? new Date(0),
        incidentId: Number(row.incidentId),
      });
    }
    return answers;
  }

  /** One view of the site's page today (Tokyo): one atomic upsert, counts only. */
  async countView(target: SiteWithMerchant, now = this.clock.now()): Promise<void> {
    await upsertFaqPageCounter(this.dataSource.manager, target, 'views', now);
  }

  /** The scope's merchant's counters over ≤ {@link FAQ_STATS_MAX_DAYS} days (400 otherwise). */
  async stats(
    scope: MerchantScope,
    input: { from?: string; to?: string } = {},
    now = this.clock.now(),
  ): Promise<FaqStats> {
    const merchantId = scope.kind === 'merchant' ? scope.merchantId : NaN;
    if (!Number.isInteger(merchantId) || merchantId <= 0)
      throw new Error('FaqPageService.stats needs a merchant scope');
    const range = resolveTokyoRange(
      input,
      { defaultDays: FAQ_STATS_DEFAULT_DAYS, maxDays: FAQ_STATS_MAX_DAYS },
      now,
    );
    const rows = await this.dataSource.manager
      .createQueryBuilder(FaqPageStat, 'stat')
      .select('stat.day', 'day')
      .addSelect('SUM(stat.views)', 'views')
      .addSelect('SUM(stat.inquiries)', 'inquiries')
      .where('stat.merchantId = :merchantId', { merchantId })
      .andWhere('stat.day >= :from AND stat.day <= :to', range)
      .groupBy('stat.day')
      .getRawMany<{ day: string; views: number | string; inquiries: number | string }>();
    const byDay = new Map(rows.map((row) => [row.day, row]));
    const days = datesOf(range).map((date) => ({
      date,
      views: Number(byDay.get(date)?.views ?? 0),
      inquiries: Number(byDay.get(date)?.inquiries ?? 0),
    }));
    return {
      ...range,
      views: days.reduce((sum, day) => sum + day.views, 0),
      inquiries: days.reduce((sum, day) => sum + day.inquiries, 0),
      days,
    };
  }

  /** Every merchant's counters over an inclusive Tokyo date range, for the operator (staff only). */
  async totalsByMerchant(range: TokyoDateRange): Promise<FaqMerchantTotals[]> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(FaqPageStat, 'stat')
      .select('stat.merchantId', 'merchantId')
      .addSelect('SUM(stat.views)', 'views')
      .addSelect('SUM(stat.inquiries)', 'inquiries')
      .where('stat.day >= :from AND stat.day <= :to', range)
      .groupBy('stat.merchantId')
      .getRawMany<{
        merchantId: number | string;
        views: number | string;
        inquiries: number | string;
      }>();
    return rows.map((row) => ({
      merchantId: Number(row.merchantId),
      views: Number(row.views),
      inquiries: Number(row.inquiries),
    }));
  }
}
