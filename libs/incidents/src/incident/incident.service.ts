import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  type MerchantScope,
  NotFoundException,
  runTransaction,
  tokyoDateOf,
  tokyoDayStart,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant } from '@madoguchi/tenancy';
import type { IncidentActor } from './incident-actor.type';
import { type IncidentInput, validateIncidentInput } from './incident-input.validator';
import { IncidentMerchant } from './incident-merchant.entity';
import { Incident } from './incident.entity';

export interface IncidentMerchantView {
  merchantId: number;
  merchantCode: string;
  merchantName: string;
  /** false also for merchants the incident has no line for yet. */
  affected: boolean;
  noticeDate: string | null;
}

export interface IncidentView {
  id: number;
  title: string;
  description: string;
  leakedItems: string;
  /** Tokyo dates `YYYY-MM-DD`. */
  occurredFrom: string | null;
  occurredTo: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface IncidentDetail extends IncidentView {
  /** Every merchant, by code, with its line of this incident. */
  merchants: IncidentMerchantView[];
}

export interface IncidentSummary extends IncidentView {
  affectedMerchantCount: number;
}

/** A short entry for filters and pickers. */
export interface IncidentOption {
  id: number;
  title: string;
}

const NOT_FOUND = 'インシデントが見つかりません。';

/**
 * Incidents and the merchants each one affects. Recording and editing is the operator's
 * (permission setup.manage in the desk); every write is validated whole, stores nothing on an
 * error, and is audited in the same transaction.
 */
@Injectable()
export class IncidentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every incident, newest first, with the number of merchants it affects. */
  async list(): Promise<IncidentSummary[]> {
    const manager = this.dataSource.manager;
    const incidents = await manager.find(Incident, { order: { id: 'DESC' } });
    const counts = await manager
      .createQueryBuilder(IncidentMerchant, 'line')
      .select('line.incidentId', 'incidentId')
      .addSelect('COUNT(*)', 'n')
      .where('line.affected = :affected', { affected: true })
      .groupBy('line.incidentId')
      .getRawMany<{ incidentId: number | string; n: number | string }>();
    const countOf = new Map(counts.map((row) => [Number(row.incidentId), Number(row.n)]));
    return incidents.map((incident) => ({
      ...toView(incident),
      affectedMerchantCount: countOf.get(incident.id) ?? 0,
    }));
  }

  /** Staff pickers: every incident, newest first. */
  async options(): Promise<IncidentOption[]> {
    const rows = await this.dataSource.manager.find(Incident, {
      select: { id: true, title: true },
      order: { id: 'DESC' },
    });
    return rows.map((row) => ({ id: row.id, title: row.title }));
  }

  /** The incidents that affect the scope's merchant, newest first (the merchant portal's list). */
  async listForMerchant(scope: MerchantScope): Promise<IncidentView[]> {
    const { merchantId } = scope;
    const rows = await this.dataSource.manager
      .createQueryBuilder(Incident, 'incident')
      .innerJoin(
        IncidentMerchant,
        'line',
        'line.incidentId = incident.id AND line.merchantId = :merchantId AND line.affected = :affected',
        { merchantId, affected: true },
      )
      .orderBy('incident.id', 'DESC')
      .getMany();
    return rows.map(toView);
  }

  /** Every merchant by code as a blank line (the new incident form). */
  async merchantLines(): Promise<IncidentMerchantView[]> {
    const merchants = await this.dataSource.manager.find(Merchant, { order: { code: 'ASC' } });
    return merchants.map((merchant) => ({
      merchantId: merchant.id,
      merchantCode: merchant.code,
      merchantName: merchant.name,
      affected: false,
      noticeDate: null,
    }));
  }

  /** One incident with every merchant's line. */
  async get(id: number): Promise<IncidentDetail> {
    const manager = this.dataSource.manager;
    const incident = await findIncident(manager, id);
    const [merchants, lines] = await Promise.all([
      manager.find(Merchant, { order: { code: 'ASC' } }),
      manager.find(IncidentMerchant, { where: { incidentId: incident.id } }),
    ]);
    const lineOf = new Map(lines.map((line) => [line.merchantId, line]));
    return {
      ...toView(incident),
      merchants: merchants.map((merchant) => ({
        merchantId: merchant.id,
        merchantCode: merchant.code,
        merchantName: merchant.name,
        affected: lineOf.get(merchant.id)?.affected ?? false,
        noticeDate: lineOf.get(merchant.id)?.noticeDate ?? null,
      })),
    };
  }

  /** One incident as a merchant sees it: NotFound unless it affects the scope's merchant. */
  async getForMerchant(
    scope: MerchantScope,
    id: number,
  ): Promise<IncidentView & { noticeDate: string | null }> {
    const { merchantId } = scope;
    const manager = this.dataSource.manager;
    if (!(await isMerchantAffected(manager, merchantId, id))) {
      throw new NotFoundException(NOT_FOUND);
    }
    const line = await manager.findOneByOrFail(IncidentMerchant, { merchantId, incidentId: id });
    return { ...toView(await findIncident(manager, id)), noticeDate: line.noticeDate };
  }

  async create(input: IncidentInput, actor: IncidentActor): Promise<IncidentDetail> {
    const values = validateIncidentInput(input);
    const now = this.clock.now();
    const id = await runTransaction(this.dataSource, async (manager) => {
      await assertMerchantsExist(manager, values.merchants);
      const saved = await manager.save(
        manager.create(Incident, {
          title: values.title,
          description: values.description,
          leakedItems: values.leakedItems,
          occurredFrom: values.occurredFrom ? tokyoDayStart(values.occurredFrom) : null,
          occurredTo: values.occurredTo ? tokyoDayStart(values.occurredTo) : null,
          createdByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await writeLines(manager, saved.id, values.merchants);
      await this.audit.by(actor, manager, now).record(
        AUDIT_ACTIONS.incidentCreated,
        { merchantId: null, target: { type: 'incident', id: saved.id } },
        {
          affectedMerchantIds: affectedIds(values.merchants),
        },
      );
      return saved.id;
    });
    return this.get(id);
  }

  /**
   * Replaces the incident's texts, dates and merchant lines (merchants not in `input` keep
   * their line). Tickets already linked stay linked.
   */
  async update(id: number, input: IncidentInput, actor: IncidentActor): Promise<IncidentDetail> {
    const values = validateIncidentInput(input);
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      const incident = await findIncident(manager, id);
      await assertMerchantsExist(manager, values.merchants);
      await manager.update(
        Incident,
        { id: incident.id },
        {
          title: values.title,
          description: values.description,
          leakedItems: values.leakedItems,
          occurredFrom: values.occurredFrom ? tokyoDayStart(values.occurredFrom) : null,
          occurredTo: values.occurredTo ? tokyoDayStart(values.occurredTo) : null,
          updatedAt: now,
        },
      );
      await writeLines(manager, incident.id, values.merchants);
      await this.audit.by(actor, manager, now).record(
        AUDIT_ACTIONS.incidentUpdated,
        { merchantId: null, target: { type: 'incident', id: incident.id } },
        {
          affectedMerchantIds: affectedIds(values.merchants),
        },
      );
    });
    return this.get(id);
  }
}

/**
 * The newest incident (highest id) that affects the merchant, or null: the one a new inquiry
 * of that merchant is linked to. Runs in the caller's transaction (intake, phone tickets).
 */
export async function newestAffectingIncidentId(
  manager: EntityManager,
  merchantId: number,
): Promise<number | null> {
  const line = await manager.findOne(IncidentMerchant, {
    select: { incidentId: true },
    where: { merchantId, affected: true },
    order: { incidentId: 'DESC' },
  });
  return line?.incidentId ?? null;
}

/** Whether the incident affects the merchant (its line says affected). */
export async function isMerchantAffected(
  manager: EntityManager,
  merchantId: number,
  incidentId: number,
): Promise<boolean> {
  if (!Number.isInteger(merchantId) || !Number.isInteger(incidentId)) return false;
  return manager.existsBy(IncidentMerchant, { merchantId, incidentId, affected: true });
}

async function findIncident(manager: EntityManager, id: number): Promise<Incident> {
  const incident = Number.isInteger(id) ? await manager.findOneBy(Incident, { id }) : null;
  if (!incident) throw new NotFoundException(NOT_FOUND);
  return incident;
}

async function assertMerchantsExist(
  manager: EntityManager,
  lines: { merchantId: number }[],
): Promise<void> {
  if (lines.length === 0) return;
  const found = await manager.count(Merchant, {
    where: lines.map((line) => ({ id: line.merchantId })),
  });
  if (found !== lines.length) {
    throw new ValidationFailedException([
      { field: 'merchants', message: '加盟店が見つかりません。' },
    ]);
  }
}

async function writeLines(
  manager: EntityManager,
  incidentId: number,
  lines: { merchantId: number; affected: boolean; noticeDate: string | null }[],
): Promise<void> {
  for (const line of lines) {
    const existing = await manager.findOneBy(IncidentMerchant, {
      incidentId,
      merchantId: line.merchantId,
    });
    if (existing) {
      await manager.update(
        IncidentMerchant,
        { id: existing.id },
        { affected: line.affected, noticeDate: line.noticeDate },
      );
    } else {
      await manager.insert(IncidentMerchant, { incidentId, ...line });
    }
  }
}

function affectedIds(lines: { merchantId: number; affected: boolean }[]): number[] {
  return lines.filter((line) => line.affected).map((line) => line.merchantId);
}

function toView(incident: Incident): IncidentView {
  return {
    id: incident.id,
    title: incident.title,
    description: incident.description,
    leakedItems: incident.leakedItems,
    occurredFrom: incident.occurredFrom ? tokyoDateOf(incident.occurredFrom) : null,
    occurredTo: incident.occurredTo ? tokyoDateOf(incident.occurredTo) : null,
    createdAt: incident.createdAt,
    updatedAt: incident.updatedAt,
  };
}
