import type { AuthenticatedUser } from '@madoguchi/auth';
import { mayOpenPage } from '../auth/page-access';
import { hasPermission } from '../auth/permissions';
import type { ConsoleViewer } from './layout.view';

/** Fragment responses carry this header: console.js swaps in nothing else (not a login page). */
export const FRAGMENT_HEADER = 'x-console-fragment';

/** The layout's view of the signed-in user: what the nav and the forms may offer. */
export function viewerOf(user: AuthenticatedUser): ConsoleViewer {
  return {
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    csrfToken: user.csrfToken,
    canWork: hasPermission(user.role, 'ticket.work'),
    mayOpen: (href) => mayOpenPage(user.role, href),
    unreadAlerts: user.unreadSlaAlerts ?? 0,
    callAvailability: user.callAvailability,
  };
}

/** A form body or query string as a map of strings (repeated fields: the first). */
export class FormValues {
  constructor(private readonly source: unknown) {}

  text(name: string): string {
    if (!this.source || typeof this.source !== 'object') return '';
    const value = (this.source as Record<string, unknown>)[name];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
    return '';
  }

  /** A positive integer, or null for anything else. */
  positiveInt(name: string): number | null {
    const text = this.text(name).trim();
    if (!/^\d{1,9}$/.test(text)) return null;
    const value = Number(text);
    return value > 0 ? value : null;
  }

  /** The ticket version a form carries (0 is a valid first version). */
  version(): number | null {
    const text = this.text('version').trim();
    return /^\d{1,9}$/.test(text) ? Number(text) : null;
  }
}

/** A notice key from the query string (?done=replied), looked up in a whitelist of texts. */
export function noticeFrom<K extends string>(
  texts: Readonly<Record<K, string>>,
  key: unknown,
): string | null {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(texts, key)
    ? texts[key as K]
    : null;
}
