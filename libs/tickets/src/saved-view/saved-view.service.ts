import { Injectable } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DomainException,
  ErrorCode,
  NotFoundException,
  runTransaction,
  ValidationFailedException,
} from '@madoguchi/common';
import {
  assertStaffScope,
  scopedQueueQuery,
  type TenantScope,
  type TicketActor,
} from '@madoguchi/tenancy';
import { ticketFilterSql } from '../queue/ticket-list-filter.sql';
import { scopedTicketQuery } from '../scope/scoped-ticket-query';
import type { TicketListFilter } from '../ticket/ticket-view.type';
import { SavedView } from './saved-view.entity';

export const SAVED_VIEW_NAME_MAX_LENGTH = 100;
export const SAVED_VIEW_QUERY_MAX_LENGTH = 500;
/** Views one user sees at most (personal and shared together): the overview counts them all. */
export const SAVED_VIEWS_MAX_PER_USER = 30;

export interface SavedViewInput {
  name: string;
  /** The filter as the queue list's query string. */
  query: string;
  queueId: number | null;
  shared: boolean;
}

/** One view to count: a key the caller chooses, its filter, and the queue it is limited to. */
export interface ViewToCount {
  key: string;
  filter: TicketListFilter;
  queueId: number | null;
}

/**
 * Saved views (issue 15): a name and a list filter, personal (its owner's) or shared (every
 * staff member's; only supervisors and admins share or delete shared ones). The filter is kept
 * as the query string the desk's one parser reads (apps/desk/src/web/ticket-list-filter.ts).
 */
@Injectable()
export class SavedViewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The user's own views and the shared ones, shared first, by name; views of a queue outside the scope are left out. */
  async list(scope: TenantScope): Promise<SavedView[]> {
    assertStaffScope(scope);
    const manager = this.dataSource.manager;
    const rows = await manager
      .getRepository(SavedView)
      .createQueryBuilder('view')
      .where(
        new Brackets((where) => {
          where.where('view.ownerUserId = :userId', { userId: scope.userId });
          where.orWhere('view.shared = :shared', { shared: true });
        }),
      )
      .orderBy('view.shared', 'DESC')
      .addOrderBy('view.name', 'ASC')
      .addOrderBy('view.id', 'ASC')
      .limit(SAVED_VIEWS_MAX_PER_USER * 4)
      .getMany();
    const queueIds = await this.queueIdsInScope(scope);
    return rows
      .filter((view) => view.queueId === null || queueIds.has(view.queueId))
      .slice(0, SAVED_VIEWS_MAX_PER_USER);
  }

  /** A view the user may open (own or shared); anything else is NotFound. */
  async find(scope: TenantScope, id: number): Promise<SavedView> {
    const view = (await this.list(scope)).find((row) => row.id === id);
    if (!view) throw new NotFoundException('保存ビューが見つかりません。');
    return view;
  }

  async create(
    scope: TenantScope,
    input: SavedViewInput,
    actor: TicketActor,
    mayShare: boolean,
  ): Promise<SavedView> {
    assertStaffScope(scope);
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    const query = typeof input.query === 'string' ? input.query.replace(/^\?/, '') : '';
    const errors = [];
    if (name === '') errors.push({ field: 'name', message: '名前を入力してください。' });
    else if (name.length > SAVED_VIEW_NAME_MAX_LENGTH) {
      errors.push({
        field: 'name',
        message: `名前は${SAVED_VIEW_NAME_MAX_LENGTH}文字以内で入力してください。`,
      });
    }
    if (query.length > SAVED_VIEW_QUERY_MAX_LENGTH) {
      errors.push({ field: 'query', message: '条件が長すぎます。' });
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    if (input.shared && !mayShare) {
      throw new DomainException(
        ErrorCode.Forbidden,
        '共有ビューを作れるのはスーパーバイザーと管理者です。',
      );
    }
    if (input.queueId !== null && !(await this.queueIdsInScope(scope)).has(input.queueId)) {
      throw new NotFoundException('キューが見つかりません。');
    }
    if ((await this.list(scope)).length >= SAVED_VIEWS_MAX_PER_USER) {
      throw new ValidationFailedException([
        {
          field: 'name',
          message: `保存ビューは${SAVED_VIEWS_MAX_PER_USER}件までです。使わないビューを削除してください。`,
        },
      ]);
    }
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      const inserted = await manager.insert(SavedView, {
        ownerUserId: scope.userId,
        shared: input.shared,
        name,
        query,
        queueId: input.queueId,
        createdAt: now,
        updatedAt: now,
      });
      const id = Number(inserted.identifiers[0]?.id);
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.savedViewCreated,
          { merchantId: null, target: { type: 'saved_view', id } },
          { shared: input.shared, queueId: input.queueId },
        );
      return manager.findOneByOrFail(SavedView, { id });
    });
  }

  /** Deletes one's own personal view, or (supervisors, admins) a shared one. */
  async remove(
    scope: TenantScope,
    id: number,
    actor: TicketActor,
    mayShare: boolean,
  ): Promise<void> {
    const view = await this.find(scope, id);
    const allowed = view.shared ? mayShare : view.ownerUserId === scope.userId;
    if (!allowed) {
      throw new DomainException(
        ErrorCode.Forbidden,
        '共有ビューを削除できるのはスーパーバイザーと管理者です。',
      );
    }
    const now = this.clock.now();
    await runTransaction(this.dataSource, async (manager) => {
      await manager.delete(SavedView, { id: view.id });
      await this.audit
        .by(actor, manager, now)
        .record(
          AUDIT_ACTIONS.savedViewDeleted,
          { merchantId: null, target: { type: 'saved_view', id: view.id } },
          { shared: view.shared },
        );
    });
  }

  /**
   * How many tickets of the scope each view lists, in ONE query: a SUM(CASE WHEN …) per view
   * over the scope's tickets whose status any view lists (with the default filters, the active
   * ones: a range of the status index, never the finished tickets). The cost is one pass over
   * those rows, whatever the number of views; "customer replied" adds two index lookups on
   * messages per row.
   */
  async counts(
    scope: TenantScope,
    views: readonly ViewToCount[],
    now: Date = this.clock.now(),
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (views.length === 0) return result;
    const query = scopedTicketQuery(this.dataSource.manager, scope);
    const statuses = new Set<string>();
    views.forEach((view, index) => {
      const sql = ticketFilterSql(view.filter, {
        viewerUserId: scope.userId,
        now,
        prefix: `v${index}_`,
      });
      sql.statuses.forEach((status) => statuses.add(status));
      const conditions = [...sql.conditions];
      if (view.queueId !== null) {
        conditions.push(`ticket.queueId = :v${index}_queueId`);
        sql.parameters[`v${index}_queueId`] = view.queueId;
      }
      const expression = `SUM(CASE WHEN (${conditions.join(') AND (')}) THEN 1 ELSE 0 END)`;
      if (index === 0) query.select(expression, `v${index}`);
      else query.addSelect(expression, `v${index}`);
      query.setParameters(sql.parameters);
    });
    query.andWhere('ticket.status IN (:...countedStatuses)', { countedStatuses: [...statuses] });
    const row = await query.getRawOne<Record<string, number | string | null>>();
    views.forEach((view, index) => result.set(view.key, Number(row?.[`v${index}`] ?? 0)));
    return result;
  }

  private async queueIdsInScope(scope: TenantScope): Promise<Set<number>> {
    const queues = await scopedQueueQuery(this.dataSource.manager, scope)
      .select(['queue.id'])
      .getMany();
    return new Set(queues.map((queue) => queue.id));
  }
}
