import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { NotFoundException, runTransaction } from '@madoguchi/common';
import { BlindIndex } from '@madoguchi/crypto';
import { Incident, IncidentMerchant } from '@madoguchi/incidents';
import type { TicketActor, TicketScope } from '../scope/ticket-scope';
import {
  AffectedListFileError,
  type AffectedListColumn,
  type AffectedListEncoding,
  type AffectedListRejection,
  parseAffectedList,
} from './affected-list-csv.util';
import { AffectedListEntry } from './affected-list-entry.entity';
import { AffectedListUpload, type AffectedListMode } from './affected-list-upload.entity';

type MerchantScope = Extract<TicketScope, { kind: 'merchant' }>;

/** Rejections listed in a report (all are counted); the rest are summarised by the count. */
export const AFFECTED_LIST_REPORTED_REJECTIONS = 1000;
/** Rows per INSERT: 5 parameters each, far below MySQL's and SQLite's parameter limits. */
const INSERT_CHUNK = 1000;
const INCIDENT_NOT_FOUND = 'インシデントが見つかりません。';

export interface AffectedListReport {
  uploadId: number;
  mode: AffectedListMode;
  encoding: AffectedListEncoding;
  columns: AffectedListColumn[];
  rowsRead: number;
  rowsAdded: number;
  duplicateRows: number;
  rowsRejected: number;
  /** The first {@link AFFECTED_LIST_REPORTED_REJECTIONS}, in line order. */
  rejections: AffectedListRejection[];
  /** Values on the list after the upload. */
  listSize: number;
}

export interface AffectedListIncident {
  incidentId: number;
  title: string;
  affected: boolean;
  noticeDate: string | null;
  listSize: number;
}

export interface AffectedListUploadView {
  createdAt: Date;
  uploadedBy: string | null;
  mode: AffectedListMode;
  encoding: AffectedListEncoding;
  rowsRead: number;
  rowsAdded: number;
  duplicateRows: number;
  rowsRejected: number;
  listSize: number;
}

/**
 * A merchant's affected-customer lists, one per incident it is involved in. Uploads keep only
 * the blind indexes of the normalised values (the very indexes tickets keep for the
 * requester), plus counts; the file and its values live in memory for the request only.
 */
@Injectable()
export class AffectedListService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly blindIndex: BlindIndex,
    private readonly audit: AuditService,
  ) {}

  /** The incidents the merchant is involved in, newest first, with each list's size. */
  async incidents(scope: MerchantScope): Promise<AffectedListIncident[]> {
    const rows = await this.dataSource
      .getRepository(IncidentMerchant)
      .createQueryBuilder('im')
      .innerJoin(Incident, 'incident', 'incident.id = im.incidentId')
      .select(['im.incidentId AS incidentId', 'incident.title AS title'])
      .addSelect(['im.affected AS affected', 'im.noticeDate AS noticeDate'])
      .addSelect(
        (sub) =>
          sub
            .select('COUNT(*)')
            .from(AffectedListEntry, 'entry')
            .where('entry.incidentId = im.incidentId AND entry.merchantId = im.merchantId'),
        'listSize',
      )
      .where('im.merchantId = :merchantId', { merchantId: scope.merchantId })
      // Only incidents that affect the merchant: the admin form writes a line for every merchant.
      .andWhere('im.affected = :affected', { affected: true })
      .orderBy('im.incidentId', 'DESC')
      .getRawMany<{
        incidentId: number | string;
        title: string;
        affected: boolean | number | string;
        noticeDate: string | null;
        listSize: number | string;
      }>();
    return rows.map((row) => ({
      incidentId: Number(row.incidentId),
      title: row.title,
      affected: row.affected === true || Number(row.affected) === 1,
      noticeDate: row.noticeDate,
      listSize: Number(row.listSize),
    }));
  }

  /** One incident of the merchant with its list's size; another merchant's is 404. */
  async incident(scope: MerchantScope, incidentId: number): Promise<AffectedListIncident> {
    const found = (await this.incidents(scope)).find((i) => i.incidentId === incidentId);
    if (!found) throw new NotFoundException(INCIDENT_NOT_FOUND);
    return found;
  }

  /** Uploads of the list, newest first (who, when, how, counts). */
  async uploads(scope: MerchantScope, incidentId: number): Promise<AffectedListUploadView[]> {
    await this.assertInvolved(this.dataSource.manager, scope, incidentId);
    const uploads = await this.dataSource.getRepository(AffectedListUpload).find({
      where: { merchantId: scope.merchantId, incidentId },
      relations: { uploadedBy: true },
      order: { id: 'DESC' },
      take: 100,
    });
    return uploads.map((u) => ({
      createdAt: u.createdAt,
      uploadedBy: u.uploadedBy?.displayName ?? null,
      mode: u.mode,
      encoding: u.encoding,
      rowsRead: u.rowsRead,
      rowsAdded: u.rowsAdded,
      duplicateRows: u.duplicateRows,
      rowsRejected: u.rowsRejected,
      listSize: u.listSize,
    }));
  }

  /**
   * Reads the file and replaces or extends the list in one transaction. A file-level problem
   * ({@link AffectedListFileError}) or a file without one valid row changes nothing; bad rows
   * are skipped whole and reported with their line numbers. Audited with counts only.
   */
  async upload(
    scope: MerchantScope,
    incidentId: number,
    actor: TicketActor,
    input: { mode: AffectedListMode; file: Uint8Array },
  ): Promise<AffectedListReport> {
    await this.assertInvolved(this.dataSource.manager, scope, incidentId);
    try {
      return await this.store(scope, incidentId, actor, input);
    } catch (error) {
      if (error instanceof AffectedListFileError) {
        await this.audit.record(this.dataSource.manager, {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.affectedListUploadRefused,
          merchantId: scope.merchantId,
          target: { type: 'incident', id: incidentId },
          ip: actor.ip,
          detail: { mode: input.mode, reason: error.code },
        });
      }
      throw error;
    }
  }

  private async store(
    scope: MerchantScope,
    incidentId: number,
    actor: TicketActor,
    input: { mode: AffectedListMode; file: Uint8Array },
  ): Promise<AffectedListReport> {
    const parsed = parseAffectedList(input.file);
    if (parsed.rows.length === 0) {
      throw new AffectedListFileError('no_valid_rows', { rejections: parsed.rejections });
    }
    // Each row's values as blind indexes; the plain values go no further than this map.
    const rowIndexes = parsed.rows.map((row) => {
      const values: { kind: AffectedListColumn; index: string }[] = [];
      if (row.email !== null)
        values.push({ kind: 'email', index: this.blindIndex.email(row.email) });
      // The row's phone is already E.164 (normalised while checking it): the index of BlindIndex.phone().
      if (row.phone !== null)
        values.push({ kind: 'phone', index: this.blindIndex.of('phone', row.phone) });
      if (row.order !== null) {
        values.push({ kind: 'order', index: this.blindIndex.orderNumber(row.order) });
      }
      return values;
    });
    const now = new Date();
    const where = { merchantId: scope.merchantId, incidentId };
    return runTransaction(this.dataSource, async (manager) => {
      await this.assertInvolved(manager, scope, incidentId, true);
      const entries = manager.getRepository(AffectedListEntry);
      const seen = new Set<string>();
      if (input.mode === 'replace') {
        await entries.delete(where);
      } else {
        // Raw values, not entities: an existing list may hold hundreds of thousands of them.
        const existing = await entries
          .createQueryBuilder('entry')
          .select('entry.valueIndex', 'valueIndex')
          .where('entry.incidentId = :incidentId AND entry.merchantId = :merchantId', where)
          .getRawMany<{ valueIndex: string }>();
        for (const entry of existing) seen.add(entry.valueIndex);
      }
      let rowsAdded = 0;
      let duplicateRows = 0;
      const fresh: Partial<AffectedListEntry>[] = [];
      for (const values of rowIndexes) {
        const added = values.filter((value) => !seen.has(value.index));
        for (const value of added) {
          seen.add(value.index);
          fresh.push({ ...where, kind: value.kind, valueIndex: value.index, createdAt: now });
        }
        if (added.length > 0) rowsAdded++;
        else duplicateRows++;
      }
      for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
        // No entity reload of generated ids: nothing reads them, and it doubles the cost.
        await entries
          .createQueryBuilder()
          .insert()
          .values(fresh.slice(i, i + INSERT_CHUNK))
          .updateEntity(false)
          .execute();
      }
      const counts = {
        rowsRead: parsed.rowsRead,
        rowsAdded,
        duplicateRows,
        rowsRejected: parsed.rejections.length,
        listSize: seen.size,
      };
      const saved = await manager.insert(AffectedListUpload, {
        ...where,
        uploadedByUserId: actor.userId,
        mode: input.mode,
        encoding: parsed.encoding,
        ...counts,
        createdAt: now,
      });
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.affectedListUploaded,
          merchantId: scope.merchantId,
          target: { type: 'incident', id: incidentId },
          ip: actor.ip,
          detail: { mode: input.mode, encoding: parsed.encoding, ...counts },
        },
        now,
      );
      return {
        uploadId: Number(saved.identifiers[0]?.id),
        mode: input.mode,
        encoding: parsed.encoding,
        columns: parsed.columns,
        ...counts,
        rejections: parsed.rejections.slice(0, AFFECTED_LIST_REPORTED_REJECTIONS),
      };
    });
  }

  /**
   * The merchant must be involved in the incident (a row in incident_merchants); otherwise the
   * incident does not exist for it (404). In the upload's transaction the row is locked on
   * MariaDB, so two uploads of one list run one after the other.
   */
  private async assertInvolved(
    manager: EntityManager,
    scope: MerchantScope,
    incidentId: number,
    lock = false,
  ): Promise<void> {
    if (!Number.isSafeInteger(incidentId) || incidentId <= 0) {
      throw new NotFoundException(INCIDENT_NOT_FOUND);
    }
    const query = manager
      .getRepository(IncidentMerchant)
      .createQueryBuilder('im')
      .where('im.incidentId = :incidentId AND im.merchantId = :merchantId', {
        incidentId,
        merchantId: scope.merchantId,
      })
      // An incident that does not affect the merchant does not exist for it (404).
      .andWhere('im.affected = :affected', { affected: true });
    if (lock && manager.connection.options.type !== 'better-sqlite3') {
      query.setLock('pessimistic_write');
    }
    if ((await query.getOne()) === null) throw new NotFoundException(INCIDENT_NOT_FOUND);
  }
}
