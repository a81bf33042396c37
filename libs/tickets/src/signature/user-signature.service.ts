import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, runTransaction, ValidationFailedException } from '@madoguchi/common';
import type { TicketActor } from '@madoguchi/tenancy';
import { UserSignature } from './user-signature.entity';

export const SIGNATURE_NAME_MAX_LENGTH = 100;
export const SIGNATURE_TEXT_MAX_LENGTH = 500;

/** An agent's signature as set on the account page. */
export interface SignatureView {
  name: string;
  text: string | null;
}

export interface SignatureInput {
  name: string;
  text: string;
}

/** CRLF and lone CR become LF: every stored text has one kind of line ending (issue 15). */
export function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The block appended to a reply: a line, the agent's name, their lines. The same text is stored
 * with the reply (the status page shows it) and mailed.
 */
export function signatureBlock(signature: SignatureView): string {
  const lines = ['――――――――――', signature.name];
  if (signature.text) lines.push(signature.text);
  return lines.join('\n');
}

/** A reply's text with the signature under it (once: a text that already ends with it stays). */
export function withSignature(body: string, signature: SignatureView | null): string {
  if (signature === null) return body;
  const block = signatureBlock(signature);
  if (body.trimEnd().endsWith(block)) return body;
  return `${body.trimEnd()}\n\n${block}`;
}

/**
 * The signatures agents set for their replies (issue 15): a name (required to have one) and
 * optional lines under it. Empty name and text remove it. Changing one's own is audited.
 */
@Injectable()
export class UserSignatureService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get(
    userId: number,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SignatureView | null> {
    const row = await manager.getRepository(UserSignature).findOneBy({ userId });
    return row ? { name: row.signatureName, text: row.signatureText } : null;
  }

  /** Saves (or with both fields empty, removes) the actor's own signature. */
  async set(input: SignatureInput, actor: TicketActor): Promise<SignatureView | null> {
    const name = normaliseLineEndings(input.name ?? '').trim();
    const text = normaliseLineEndings(input.text ?? '')
      .replace(/\s+$/u, '')
      .replace(/^\n+/u, '');
    const errors = [
      ...(name === '' && text !== ''
        ? [{ field: 'signatureName', message: '署名に表示する名前を入力してください。' }]
        : []),
      ...(name.includes('\n')
        ? [{ field: 'signatureName', message: '名前は1行で入力してください。' }]
        : []),
      ...(name.length > SIGNATURE_NAME_MAX_LENGTH
        ? [
            {
              field: 'signatureName',
              message: `名前は${SIGNATURE_NAME_MAX_LENGTH}文字以内で入力してください。`,
            },
          ]
        : []),
      ...(text.length > SIGNATURE_TEXT_MAX_LENGTH
        ? [
            {
              field: 'signatureText',
              message: `署名は${SIGNATURE_TEXT_MAX_LENGTH}文字以内で入力してください。`,
            },
          ]
        : []),
    ];
    if (errors.length > 0) throw new ValidationFailedException(errors);
    const now = this.clock.now();
    return runTransaction(this.dataSource, async (manager) => {
      const repository = manager.getRepository(UserSignature);
      const signature = name === '' ? null : { name, text: text === '' ? null : text };
      if (signature === null) {
        await repository.delete({ userId: actor.userId });
      } else {
        const updated = await repository.update(
          { userId: actor.userId },
          { signatureName: signature.name, signatureText: signature.text, updatedAt: now },
        );
        if (!updated.affected) {
          await repository.insert({
            userId: actor.userId,
            signatureName: signature.name,
            signatureText: signature.text,
            updatedAt: now,
          });
        }
      }
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: actor.userId },
          action: AUDIT_ACTIONS.userSignatureChanged,
          merchantId: null,
          target: { type: 'user', id: actor.userId },
          ip: actor.ip,
          detail: { removed: signature === null },
        },
        now,
      );
      return signature;
    });
  }
}
