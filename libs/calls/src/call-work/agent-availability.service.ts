import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull } from 'typeorm';
import {
  CALL_AVAILABILITIES,
  type CallAvailability,
  STAFF_ROLES,
  User,
} from '@madoguchi/auth';
import { Clock, ValidationFailedException } from '@madoguchi/common';

export function isCallAvailability(value: unknown): value is CallAvailability {
  return typeof value === 'string' && (CALL_AVAILABILITIES as readonly string[]).includes(value);
}

/**
 * Each staff user's availability for the window's calls (available / busy / away), stored on the
 * user. The telephony app offers voicemail or a callback at once when no enabled staff user is
 * `available`. A new user starts available. Not personal data: not audited.
 */
@Injectable()
export class AgentAvailabilityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async set(userId: number, availability: unknown): Promise<CallAvailability> {
    if (!isCallAvailability(availability)) {
      throw new ValidationFailedException([
        { field: 'availability', message: '受付状態を選んでください。' },
      ]);
    }
    await this.dataSource.manager.update(
      User,
      { id: userId, role: In([...STAFF_ROLES]) },
      { callAvailability: availability, updatedAt: this.clock.now() },
    );
    return availability;
  }

  /** Enabled staff users by availability (the waiting page's "who is free"). */
  async counts(): Promise<Record<CallAvailability, number>> {
    const users = await this.dataSource.getRepository(User).find({
      select: { id: true, callAvailability: true },
      where: { disabledAt: IsNull(), role: In([...STAFF_ROLES]) },
    });
    const counts: Record<CallAvailability, number> = { available: 0, busy: 0, away: 0 };
    for (const user of users) {
      if (isCallAvailability(user.callAvailability)) counts[user.callAvailability] += 1;
    }
    return counts;
  }
}
