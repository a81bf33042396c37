import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import { Clock, DomainException, ErrorCode, runTransaction } from '@madoguchi/common';
import { FieldCipher } from '@madoguchi/crypto';
import { Session } from '../session/session.entity';
import { User } from '../user/user.entity';
import { createTotpSecret, matchTotpCode, totpUri } from './totp.util';

export interface TotpEnrolmentOffer {
  /** Base32, for typing into an app by hand. */
  secret: string;
  /** otpauth:// URI, for the QR code. */
  uri: string;
}

export const TOTP_CODE_INVALID_MESSAGE =
  '確認コードが正しくありません。アプリに表示されている6桁の数字を入力してください。';

/**
 * The TOTP second factor: enrolment through the session (the offered secret waits, encrypted,
 * in sessions.pending_totp_secret until a first code confirms it) and one-time use of codes.
 */
@Injectable()
export class TotpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Accepts a code at most once: the step is stored with a conditional UPDATE, so of two
   * requests racing with the same code only one wins, and older codes stay refused.
   */
  async consumeCode(
    userId: number,
    secret: string,
    code: string | null | undefined,
    now = this.clock.now(),
  ): Promise<boolean> {
    const step = matchTotpCode(secret, code, now);
    if (step === null) return false;
    const result = await this.dataSource.manager
      .createQueryBuilder()
      .update(User)
      .set({ totpLastStep: step })
      .where('id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)', {
        id: userId,
        step,
      })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async isEnrolled(userId: number): Promise<boolean> {
    const user = await this.dataSource.manager.findOne(User, {
      where: { id: userId },
      select: { id: true, totpSecret: true },
    });
    return Boolean(user?.totpSecret);
  }

  /** The secret offered to this session; the same one on reload, so a scanned code stays valid. */
  async offer(sessionId: number, accountLabel: string): Promise<TotpEnrolmentOffer> {
    const session = await this.dataSource.manager.findOneOrFail(Session, {
      where: { id: sessionId },
    });
    let secret = session.pendingTotpSecret ? this.cipher.decrypt(session.pendingTotpSecret) : null;
    if (!secret) {
      secret = createTotpSecret();
      await this.dataSource.manager.update(
        Session,
        { id: sessionId },
        { pendingTotpSecret: this.cipher.encrypt(secret) },
      );
    }
    return { secret, uri: totpUri(secret, accountLabel) };
  }

  /** Confirms the offered secret with a first code: it becomes the user's second factor. */
  async confirm(
    sessionId: number,
    userId: number,
    code: string | null | undefined,
    ip: string | null,
    now = this.clock.now(),
  ): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      const session = await manager.findOneOrFail(Session, { where: { id: sessionId, userId } });
      const user = await manager.findOneOrFail(User, { where: { id: userId } });
      if (user.totpSecret)
        throw new DomainException(ErrorCode.Forbidden, '確認コードはすでに登録されています。');
      const secret = session.pendingTotpSecret
        ? this.cipher.decrypt(session.pendingTotpSecret)
        : null;
      const step = secret ? matchTotpCode(secret, code, now) : null;
      if (!secret || step === null) {
        throw new DomainException(ErrorCode.ValidationFailed, TOTP_CODE_INVALID_MESSAGE, [
          { field: 'code', message: TOTP_CODE_INVALID_MESSAGE },
        ]);
      }
      // Conditional on "not yet enrolled", so two confirmations cannot overwrite each other.
      const enrolled = await manager.update(
        User,
        { id: userId, totpSecret: IsNull() },
        { totpSecret: this.cipher.encrypt(secret), totpLastStep: step, updatedAt: now },
      );
      if ((enrolled.affected ?? 0) === 0)
        throw new DomainException(ErrorCode.Forbidden, '確認コードはすでに登録されています。');
      await manager.update(Session, { id: sessionId }, { pendingTotpSecret: null });
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: userId },
          action: AUDIT_ACTIONS.authTotpEnrolled,
          merchantId: user.merchantId,
          target: { type: 'user', id: userId },
          ip,
        },
        now,
      );
    });
  }
}
