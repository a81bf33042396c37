import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import type { AuthenticatedUser } from '../session/authenticated-user.type';
import { SessionService } from '../session/session.service';
import { Clock, runTransaction } from '@madoguchi/common';

/** Ends the current session and leaves a trace of it. */
@Injectable()
export class LogoutService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async logout(user: AuthenticatedUser, ip: string | null, now = this.clock.now()): Promise<void> {
    await runTransaction(this.dataSource, async (manager) => {
      if (!(await this.sessions.revoke(user.sessionId, manager, now))) return;
      await this.audit.record(
        manager,
        {
          actor: { type: 'user', id: user.id },
          action: AUDIT_ACTIONS.authLoggedOut,
          merchantId: user.merchantId,
          target: { type: 'session', id: user.sessionId },
          ip,
        },
        now,
      );
    });
  }
}
