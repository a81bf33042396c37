import type { UserRole } from '@madoguchi/auth';
import { accessAllows } from './permissions';
import type { RouteRule } from './pre-body-gate.hook';

/**
 * The desk's GET routes and what each asks of a role, published once per process by
 * createDeskApp from the route table (routeRules: the decorators the session guard reads).
 * Views are plain functions without injection; every desk app in a process has the same routes.
 */
let pages: ReadonlyMap<string, RouteRule> | null = null;

export function publishPageAccess(rules: ReadonlyMap<string, RouteRule>): void {
  pages = new Map([...rules].filter(([route]) => route.startsWith('GET ')));
}

/**
 * Whether a role may open a page: what the page's own guard would answer, so menus and tabs show
 * only what the role can open (issue 19). A link to no GET route, or a call before the app
 * published its routes, is a programming error and throws: a menu never guesses.
 */
export function mayOpenPage(role: UserRole, href: string): boolean {
  if (!pages) throw new Error('mayOpenPage: the desk app has not published its routes yet');
  const path = href.split(/[?#]/, 1)[0];
  const rule = pages.get(`GET ${path}`);
  if (!rule) throw new Error(`mayOpenPage: no GET route for ${path}`);
  return rule.isPublic || accessAllows(rule, role);
}
