import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import {
  type AuthenticatedUser,
  IpAccessService,
  isStaffRole,
  SessionService,
  type UserRole,
} from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { IS_PUBLIC_KEY, wantsJson } from '@madoguchi/http';
import { SlaNotificationService, TicketScopeService } from '@madoguchi/tickets';
import { AUTH_ERROR_TEXTS } from './auth-errors.texts';
import {
  ALLOW_DURING_TOTP_ENROLMENT_KEY,
  CSRF_IN_MULTIPART_KEY,
  PERMISSIONS_KEY,
  ROLES_KEY,
} from './auth.decorators';
import { csrfTokenMatches, csrfTokenOf, isStateChanging, stripCsrfField } from './csrf.util';
import { NEEDS_TICKET_SCOPE_KEY } from './current-scope.decorator';
import { LoginRedirectException } from './login-redirect.exception';
import { IpRefusedException } from './ip-refused.filter';
import { accessAllows, type Permission } from './permissions';
import { loginPathFor } from './safe-next-path.util';
import { sessionTokenOf } from './session-cookie.util';
import './request-context.type';

export const TOTP_ENROLMENT_PATH = '/account/totp';

const T = AUTH_ERROR_TEXTS;

/** A browser navigating to a page (not the API, not fetch): it gets redirects rather than JSON. */
function isHtmlNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  if (request.url.startsWith('/api/')) return false;
  const accept = request.headers.accept ?? '';
  return accept.includes('text/html');
}

function isMultipart(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
}

/**
 * The desk's one gate (APP_GUARD, deny by default): every route needs a live session unless it
 * is @Public(). In order: session cookie → IP allow-list (staff list or the merchant's) → CSRF
 * token on state-changing requests → pending TOTP enrolment → roles and permissions → the
 * request's ticket scope, resolved once for handlers that take @CurrentScope().
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
    private readonly ipAccess: IpAccessService,
    private readonly scopes: TicketScopeService,
    private readonly slaNotifications: SlaNotificationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // The pre-body gate (pre-body-gate.hook.ts) may have resolved the session already.
    const user = request.gateUser ?? (await this.sessions.authenticate(sessionTokenOf(request)));
    if (!user) {
      if (isHtmlNavigation(request)) throw new LoginRedirectException(loginPathFor(request.url));
      throw new DomainException(ErrorCode.Unauthenticated, T.unauthenticated);
    }
    if (!(await this.ipAccess.allows(user, request.ip))) {
      // A browser page says why and whom to ask (any method: a form posted from there too).
      if (!wantsJson(request) && (request.headers.accept ?? '').includes('text/html')) {
        throw new IpRefusedException(
          request.ip ?? null,
          isStaffRole(user.role) ? 'staff' : 'merchant',
        );
      }
      throw new DomainException(ErrorCode.Forbidden, T.ipNotAllowed);
    }
    // The navigation's badge of unread SLA alerts (issue 15): supervisors' pages only.
    request.user =
      user.role === 'supervisor' && isHtmlNavigation(request)
        ? { ...user, unreadSlaAlerts: await this.slaNotifications.unreadCount(user.id) }
        : user;

    if (isStateChanging(request.method)) {
      const sent = csrfTokenOf(request);
      const checkedInParts =
        sent === null &&
        isMultipart(request) &&
        this.reflector.get<boolean>(CSRF_IN_MULTIPART_KEY, context.getHandler()) === true;
      if (!checkedInParts && !csrfTokenMatches(sent, user.csrfToken)) {
        throw new DomainException(ErrorCode.CsrfTokenInvalid, T.csrf);
      }
      stripCsrfField(request);
    }

    if (
      user.mustEnrolTotp &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_DURING_TOTP_ENROLMENT_KEY, targets)
    ) {
      if (isHtmlNavigation(request)) throw new LoginRedirectException(TOTP_ENROLMENT_PATH);
      throw new DomainException(ErrorCode.Forbidden, T.totpRequired);
    }

    this.checkRoles(user, targets);

    if (this.reflector.get<boolean>(NEEDS_TICKET_SCOPE_KEY, context.getHandler())) {
      request.ticketScope ??= await this.scopes.forUser(user);
    }
    return true;
  }

  private checkRoles(
    user: AuthenticatedUser,
    targets: Parameters<Reflector['getAllAndMerge']>[1],
  ): void {
    const access = {
      roles: this.reflector.getAllAndMerge<UserRole[]>(ROLES_KEY, targets),
      permissions: this.reflector.getAllAndMerge<Permission[]>(PERMISSIONS_KEY, targets),
    };
    if (!accessAllows(access, user.role)) {
      throw new DomainException(ErrorCode.Forbidden, T.forbidden);
    }
  }
}
