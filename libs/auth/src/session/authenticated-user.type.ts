import type { CallAvailability, UserRole } from '../user/user.entity';

/** Who a request acts as, resolved once from its session by the desk's session guard. */
export interface AuthenticatedUser {
  id: number;
  email: string;
  displayName: string;
  role: UserRole;
  /** Set for merchant roles, null for operator staff. */
  merchantId: number | null;
  sessionId: number;
  /** The session's synchronizer token, rendered into every form. */
  csrfToken: string;
  /** Staff who must enrol a second factor may only reach the enrolment pages and logout. */
  mustEnrolTotp: boolean;
  /** A supervisor's unread SLA alerts (issue 15), set by the desk's gate on page navigations. */
  unreadSlaAlerts?: number;
  /** Staff: availability for the window's calls (the header's control shows it). */
  callAvailability?: CallAvailability;
}
