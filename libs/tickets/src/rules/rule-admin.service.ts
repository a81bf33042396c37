import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DomainException,
  ErrorCode,
  type FieldError,
  NotFoundException,
  runTransaction,
  unknownPlaceholders,
  ValidationFailedException,
} from '@madoguchi/common';
import { Merchant, type TicketActor } from '@madoguchi/tenancy';
import {
  isTicketCategory,
  isTicketChannel,
  isTicketPriority,
  type TicketCategory,
  type TicketChannel,
  type TicketPriority,
} from '../ticket/ticket.constant';
import {
  type IntakeRuleActions,
  isRuleKind,
  type PendingRuleActions,
  RULE_DAYS_MAX,
  RULE_DAYS_MIN,
  RULE_KEYWORD_MAX_LENGTH,
  RULE_KEYWORDS_MAX,
  RULE_NAME_MAX_LENGTH,
  RULE_TEXT_MAX_LENGTH,
  type RuleConditions,
  type RuleKind,
} from './rule.constant';
import { Rule } from './rule.entity';
import { type RuleView, ruleViewOf } from './rule-view.util';

/** A rule as an admin submits it; the service checks every value (forms send text). */
export interface RuleInput {
  kind: string;
  name: string;
  /** Null: every merchant. */
  merchantId: number | null;
  enabled: boolean;
  stopProcessing: boolean;
  channels: readonly string[];
  categories: readonly string[];
  keywords: readonly string[];
  /** Intake: what to set ('' or null: leave as it is). */
  priority: string | null;
  category: string | null;
  /** Pending-customer automation. */
  remindAfterDays: number | null;
  reminderText: string | null;
  resolveAfterDays: number | null;
  resolutionText: string | null;
}

export type RuleMove = 'up' | 'down';

const NOT_FOUND = 'ルールが見つかりません。';
const STALE =
  'ほかの管理者がこのルールを先に変更しました。一覧を読み込み直して内容を確認してから、もう一度操作してください。';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Rules for admins (docs/rules.md): list, create, edit, enable or disable, move up or down,
 * delete. Every change is checked in full before anything is written (a refusal changes
 * nothing), guarded by the rule's version where the admin saw one (stale → 409), and audited.
 */
@Injectable()
export class RuleAdminService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Every rule, intake rules first, each kind in the order it applies. */
  async list(): Promise<(RuleView & { merchantName: string | null })[]> {
    const rules = await this.dataSource.getRepository(Rule).find({
      relations: { merchant: true },
      order: { kind: 'ASC', position: 'ASC', id: 'ASC' },
    });
    return rules.map((rule) => ({
      ...ruleViewOf(rule),
      merchantName: rule.merchant?.name ?? null,
    }));
  }

  /** The merchants a rule may name, by name (ids and names only). */
  merchantOptions(): Promise<{ id: number; name: string }[]> {
    return this.dataSource
      .getRepository(Merchant)
      .find({ select: { id: true, name: true }, order: { name: 'ASC', id: 'ASC' } });
  }

  async get(id: number): Promise<RuleView> {
    const rule = await this.dataSource.getRepository(Rule).findOneBy({ id });
    if (!rule) throw new NotFoundException(NOT_FOUND);
    return ruleViewOf(rule);
  }

  async create(input: RuleInput, actor: TicketActor): Promise<RuleView> {
    const valid = await this.validate(this.dataSource.manager, input);
    return runTransaction(this.dataSource, async (manager) => {
      const now = this.clock.now();
      const last = await manager
        .getRepository(Rule)
        .createQueryBuilder('rule')
        .select('MAX(rule.position)', 'max')
        .where('rule.kind = :kind', { kind: valid.kind })
        .getRawOne<{ max: number | string | null }>();
      const saved = await manager.save(
        manager.create(Rule, {
          ...valid,
          position: Number(last?.max ?? 0) + 1,
          updatedByUserId: actor.userId,
          createdAt: now,
          updatedAt: now,
        }),
      );
      await this.record(manager, actor, AUDIT_ACTIONS.ruleCreated, saved, {
        kind: saved.kind,
        enabled: saved.enabled,
      });
      return ruleViewOf(saved);
    });
  }

  async update(
    id: number,
    input: RuleInput,
    expectedVersion: number | undefined,
    actor: TicketActor,
  ): Promise<RuleView> {
    const valid = await this.validate(this.dataSource.manager, input);
    return runTransaction(this.dataSource, async (manager) => {
      const rule = await this.find(manager, id, expectedVersion);
      if (rule.kind !== valid.kind) {
        throw new ValidationFailedException([
          {
            field: 'kind',
            message: 'ルールの種類は変更できません。新しいルールを作成してください。',
          },
        ]);
      }
      const changed = (Object.keys(valid) as (keyof typeof valid)[]).filter(
        (key) => rule[key] !== valid[key],
      );
      const updated = await this.write(manager, rule, { ...valid, updatedByUserId: actor.userId });
      await this.record(manager, actor, AUDIT_ACTIONS.ruleUpdated, updated, {
        kind: updated.kind,
        fields: changed,
      });
      return ruleViewOf(updated);
    });
  }

  async setEnabled(
    id: number,
    enabled: boolean,
    expectedVersion: number | undefined,
    actor: TicketActor,
  ): Promise<RuleView> {
    return runTransaction(this.dataSource, async (manager) => {
      const rule = await this.find(manager, id, expectedVersion);
      const updated = await this.write(manager, rule, { enabled, updatedByUserId: actor.userId });
      await this.record(manager, actor, AUDIT_ACTIONS.ruleUpdated, updated, {
        kind: updated.kind,
        fields: ['enabled'],
        enabled,
      });
      return ruleViewOf(updated);
    });
  }

  /** Swaps the rule with its neighbour of the same kind; at either end nothing moves. */
  async move(
    id: number,
    direction: RuleMove,
    expectedVersion: number | undefined,
    actor: TicketActor,
  ): Promise<RuleView> {
    return runTransaction(this.dataSource, async (manager) => {
      const rule = await this.find(manager, id, expectedVersion);
      const siblings = await manager.getRepository(Rule).find({
        where: { kind: rule.kind },
        order: { position: 'ASC', id: 'ASC' },
      });
      const index = siblings.findIndex((sibling) => sibling.id === rule.id);
      const other = siblings[direction === 'up' ? index - 1 : index + 1];
      if (!other) return ruleViewOf(rule);
      // Renumber the whole kind 1…n in the new order, so equal positions can never tie.
      [siblings[index], siblings[direction === 'up' ? index - 1 : index + 1]] = [other, rule];
      let moved = rule;
      for (const [at, sibling] of siblings.entries()) {
        if (sibling.position === at + 1) continue;
        const written = await this.write(manager, sibling, { position: at + 1 });
        if (sibling.id === rule.id) moved = written;
      }
      await this.record(manager, actor, AUDIT_ACTIONS.ruleReordered, moved, {
        kind: rule.kind,
        from: index + 1,
        to: direction === 'up' ? index : index + 2,
      });
      return ruleViewOf(moved);
    });
  }

  async remove(id: number, expectedVersion: number | undefined, actor: TicketActor): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const rule = await this.find(manager, id, expectedVersion);
      const deleted = await manager
        .createQueryBuilder()
        .delete()
        .from(Rule)
        .where('id = :id AND version = :version', { id: rule.id, version: rule.version })
        .execute();
      if (deleted.affected !== 1) throw stale();
      await this.record(manager, actor, AUDIT_ACTIONS.ruleDeleted, rule, {
        kind: rule.kind,
        name: rule.name,
      });
    });
  }

  private async find(
    manager: EntityManager,
    id: number,
    expectedVersion: number | undefined,
  ): Promise<Rule> {
    const rule = await manager.getRepository(Rule).findOneBy({ id });
    if (!rule) throw new NotFoundException(NOT_FOUND);
    if (expectedVersion !== undefined && expectedVersion !== rule.version) throw stale();
    return rule;
  }

  /** A conditional UPDATE on the version read: of two concurrent edits, the second is refused. */
  private async write(manager: EntityManager, rule: Rule, changes: Partial<Rule>): Promise<Rule> {
    const now = this.clock.now();
    const result = await manager
      .createQueryBuilder()
      .update(Rule)
      .set({ ...changes, updatedAt: now, version: () => 'version + 1' })
      .where('id = :id AND version = :version', { id: rule.id, version: rule.version })
      .execute();
    if (result.affected !== 1) throw stale();
    return { ...rule, ...changes, updatedAt: now, version: rule.version + 1 };
  }

  private record(
    manager: EntityManager,
    actor: TicketActor,
    action: string,
    rule: Rule,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      manager,
      {
        actor: { type: 'user', id: actor.userId },
        action,
        merchantId: rule.merchantId,
        target: { type: 'rule', id: rule.id },
        ip: actor.ip,
        detail: { ...detail, merchantId: rule.merchantId },
      },
      this.clock.now(),
    );
  }

  private async validate(
    manager: EntityManager,
    input: RuleInput,
  ): Promise<
    Pick<
      Rule,
      'kind' | 'name' | 'merchantId' | 'enabled' | 'stopProcessing' | 'conditions' | 'actions'
    >
  > {
    const errors: FieldError[] = [];
    const kind: RuleKind = isRuleKind(input.kind) ? input.kind : 'intake';
    if (!isRuleKind(input.kind))
      errors.push({ field: 'kind', message: 'ルールの種類を選んでください。' });
    const name = input.name.trim();
    if (name === '') errors.push({ field: 'name', message: 'ルール名を入力してください。' });
    else if (name.length > RULE_NAME_MAX_LENGTH) {
      errors.push({
        field: 'name',
        message: `ルール名は${RULE_NAME_MAX_LENGTH}文字以内で入力してください。`,
      });
    } else if (CONTROL.test(name)) {
      errors.push({ field: 'name', message: 'ルール名に改行や制御文字は使えません。' });
    }
    if (input.merchantId !== null) {
      const known =
        Number.isInteger(input.merchantId) &&
        (await manager.getRepository(Merchant).existsBy({ id: input.merchantId }));
      if (!known) errors.push({ field: 'merchantId', message: '加盟店を一覧から選んでください。' });
    }
    const channels = unique(input.channels);
    if (!channels.every(isTicketChannel)) {
      errors.push({ field: 'channels', message: '受付経路を一覧から選んでください。' });
    }
    const categories = unique(input.categories);
    if (!categories.every(isTicketCategory)) {
      errors.push({ field: 'categories', message: 'カテゴリを一覧から選んでください。' });
    }
    const keywords = unique(
      input.keywords.map((word) => word.trim()).filter((word) => word !== ''),
    );
    if (keywords.length > RULE_KEYWORDS_MAX) {
      errors.push({ field: 'keywords', message: `キーワードは${RULE_KEYWORDS_MAX}個までです。` });
    } else if (
      keywords.some((word) => word.length > RULE_KEYWORD_MAX_LENGTH || CONTROL.test(word))
    ) {
      errors.push({
        field: 'keywords',
        message: `キーワードは1つ${RULE_KEYWORD_MAX_LENGTH}文字以内で、制御文字を含めずに入力してください。`,
      });
    }
    let actions: IntakeRuleActions | PendingRuleActions;
    if (kind === 'intake') {
      const priority = blankToNull(input.priority);
      const category = blankToNull(input.category);
      if (priority !== null && !isTicketPriority(priority)) {
        errors.push({ field: 'priority', message: '優先度を一覧から選んでください。' });
      }
      if (category !== null && !isTicketCategory(category)) {
        errors.push({ field: 'category', message: 'カテゴリを一覧から選んでください。' });
      }
      if (priority === null && category === null) {
        errors.push({
          field: 'priority',
          message: '設定する優先度かカテゴリの少なくとも一方を選んでください。',
        });
      }
      actions = {
        priority: priority as TicketPriority | null,
        category: category as TicketCategory | null,
      };
    } else {
      const remindAfterDays = validDays(input.remindAfterDays, 'remindAfterDays', errors);
      const resolveAfterDays = validDays(input.resolveAfterDays, 'resolveAfterDays', errors);
      const reminderText = validText(input.reminderText, 'reminderText', errors);
      const resolutionText = validText(input.resolutionText, 'resolutionText', errors);
      actions = { remindAfterDays, reminderText, resolveAfterDays, resolutionText };
    }
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const conditions: RuleConditions = {
      channels: channels as TicketChannel[],
      categories: categories as TicketCategory[],
      keywords,
    };
    return {
      kind,
      name,
      merchantId: input.merchantId,
      enabled: input.enabled,
      stopProcessing: kind === 'intake' && input.stopProcessing,
      conditions: JSON.stringify(
        kind === 'intake' ? conditions : { channels: [], categories, keywords: [] },
      ),
      actions: JSON.stringify(actions),
    };
  }
}

function stale(): DomainException {
  return new DomainException(ErrorCode.StaleVersion, STALE);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === '' ? null : value.trim();
}

function validDays(value: number | null, field: string, errors: FieldError[]): number {
  if (
    value === null ||
    !Number.isInteger(value) ||
    value < RULE_DAYS_MIN ||
    value > RULE_DAYS_MAX
  ) {
    errors.push({
      field,
      message: `営業日数は${RULE_DAYS_MIN}から${RULE_DAYS_MAX}までの整数で入力してください。`,
    });
    return RULE_DAYS_MIN;
  }
  return value;
}

function validText(value: string | null, field: string, errors: FieldError[]): string {
  const text = (value ?? '').replace(/\r\n?/g, '\n').trim();
  if (text === '') errors.push({ field, message: '本文を入力してください。' });
  else if (text.length > RULE_TEXT_MAX_LENGTH) {
    errors.push({ field, message: `本文は${RULE_TEXT_MAX_LENGTH}文字以内で入力してください。` });
  } else if (CONTROL_BUT_NEWLINE.test(text)) {
    errors.push({ field, message: '本文に制御文字は使えません。' });
  } else {
    const unknown = unknownPlaceholders(text);
    if (unknown.length > 0) {
      errors.push({
        field,
        message: `使えない差し込み項目があります: ${unknown.map((key) => `{{${key}}}`).join(' ')}`,
      });
    }
  }
  return text;
}
