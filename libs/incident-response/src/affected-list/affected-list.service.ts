import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, type MerchantScope, NotFoundException, runTransaction } from '@madoguchi/common';
import { BlindIndex } from '@madoguchi/crypto';
import { Incident, IncidentMerchant } from '@madoguchi/incidents';
import type { TicketActor } from '@madoguchi/tenancy';
import {
  AffectedListFileError,
  type AffectedListColumn,
  type AffectedListEncoding,
  type AffectedListRejection,
} from './affected-list-csv.util';
import { affectedListValueAt } from './affected-list-index.util';
import { indexAffectedListInWorker } from './affected-list-worker.runner';
import { flagDeterminationsAfterListChange } from '../determination/determination.rules';
import { AffectedListEntry } from './affected-list-entry.entity';
import { AffectedListUpload, type AffectedListMode } from './affected-list-upload.entity';

/** Rejections listed in a report (all are counted); the rest are summarised by the count. */
export const AFFECTED_LIST_REPORTED_REJECTIONS = 1000;
/**
 * Values per INSERT (5 parameters each, far below MySQL's and SQLite's parameter limits): small
 * enough that building one statement takes this event loop a few milliseconds only.
 */
const INSERT_CHUNK = 500;
/** Existing values read per query in "add" mode, the event loop handed back between pages. */
const EXISTING_PAGE = 10_000;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
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
    private readonly clock: Clock,
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
    // Decoding, parsing (rows and cells capped as they are read), checking, hashing and the
    // file's own duplicates run in a worker thread: this event loop, which serves every tenant,
    // only waits for the answer. The plain values stay in the worker; only blind indexes come
    // back, packed in one transferred buffer (no per-value objects to deserialise).
    const parsed = await indexAffectedListInWorker(input.file, this.blindIndex.workerKey());
    if (parsed.rowCount === 0) {
      throw new AffectedListFileError('no_valid_rows', { rejections: parsed.rejections });
    }
    const packed = Buffer.from(parsed.values);
    const now = this.clock.now();
    const where = { merchantId: scope.merchantId, incidentId };
    return runTransaction(this.dataSource, async (manager) => {
      await this.assertInvolved(manager, scope, incidentId, true);
      const entries = manager.getRepository(AffectedListEntry);
      const existing = new Set<string>();
      if (input.mode === 'replace') {
        await entries.delete(where);
      } else {
        // Raw values, not entities, page by page along the unique index: an existing list may
        // hold hundreds of thousands of them, and other tenants' requests go on between pages.
        let after = '';
        for (;;) {
          const page = await entries
            .createQueryBuilder('entry')
            .select('entry.valueIndex', 'valueIndex')
            .where('entry.incidentId = :incidentId AND entry.merchantId = :merchantId', where)
            .andWhere('entry.valueIndex > :after', { after })
            .orderBy('entry.valueIndex', 'ASC')
            .limit(EXISTING_PAGE)
            .getRawMany<{ valueIndex: string }>();
          for (const entry of page) existing.add(entry.valueIndex);
          if (page.length < EXISTING_PAGE) break;
          after = page[page.length - 1].valueIndex;
          await yieldToEventLoop();
        }
      }
      // The worker sent each distinct value of the file once, at its first row: a row adds to
      // the list when one of those values is not on it yet; every other row is a duplicate
      // (of the list or of an earlier row of the file).
      let rowsAdded = 0;
      let lastAddedRow = -1;
      let freshValues = 0;
      let chunk: Partial<AffectedListEntry>[] = [];
      const insertChunk = async (): Promise<void> => {
        // No entity reload of generated ids: nothing reads them, and it doubles the cost.
        await entries.createQueryBuilder().insert().values(chunk).updateEntity(false).execute();
        chunk = [];
        // Hand the event loop back between statements: other tenants' requests go on meanwhile.
        await yieldToEventLoop();
      };
      for (let position = 0; position < parsed.valueCount; position++) {
        const value = affectedListValueAt(packed, position);
        if (existing.has(value.index)) continue;
        freshValues++;
        if (value.row !== lastAddedRow) {
          rowsAdded++;
          lastAddedRow = value.row;
        }
        chunk.push({ ...where, kind: value.kind, valueIndex: value.index, createdAt: now });
        if (chunk.length === INSERT_CHUNK) await insertChunk();
      }
      if (chunk.length > 0) await insertChunk();
      const duplicateRows = parsed.rowCount - rowsAdded;
      const counts = {
        rowsRead: parsed.rowsRead,
        rowsAdded,
        duplicateRows,
        rowsRejected: parsed.rejections.length,
        listSize: existing.size + freshValues,
      };
      const saved = await manager.insert(AffectedListUpload, {
        ...where,
        uploadedByUserId: actor.userId,
        mode: input.mode,
        encoding: parsed.encoding,
        ...counts,
        createdAt: now,
      });
      // Issue 13.1: determinations this list now contradicts are flagged for review (never
      // changed), in this transaction, once the list holds its new values. Keep this one call.
      await flagDeterminationsAfterListChange(
        manager,
        incidentId,
        scope.merchantId,
        Number(saved.identifiers[0]?.id),
        now,
      );
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
