import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SessionService, type UserRole } from '@madoguchi/auth';
import { DomainException, ErrorCode } from '@madoguchi/common';
import { type HtmlErrorRenderer, IS_PUBLIC_KEY, sendHttpError } from '@madoguchi/http';
import { AUTH_ERROR_TEXTS } from './auth-errors.texts';
import {
  MULTIPART_LIMITS_KEY,
  type MultipartLimits,
  PERMISSIONS_KEY,
  ROLES_KEY,
} from './auth.decorators';
import { CSRF_HEADER, csrfTokenMatches, isStateChanging } from './csrf.util';
import { accessAllows, type Permission } from './permissions';
import { sessionTokenOf } from './session-cookie.util';
import './request-context.type';

const T = AUTH_ERROR_TEXTS;

/** What the gate needs to know of one route, read from the same decorators the guard reads. */
export interface RouteRule {
  isPublic: boolean;
  roles: UserRole[];
  permissions: Permission[];
  /** A multipart route's limits (@CsrfInMultipartParts); null: multipart is refused (415). */
  multipart: MultipartLimits | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session the pre-body gate resolved; the session guard takes it instead of a second lookup. */
    gateUser?: Awaited<ReturnType<SessionService['authenticate']>>;
  }
}

function joinPath(...parts: string[]): string {
  const path = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  return `/${path}`;
}

function asList(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function metadataList<T>(key: string, ...targets: object[]): T[] {
  return targets.flatMap((target) => (Reflect.getMetadata(key, target) as T[] | undefined) ?? []);
}

/**
 * Every controller route of the app as Fastify routes it (`POST /portal/affected-lists/:incidentId`),
 * with @Public(), @Roles() and @RequirePermission() as the session guard reads them (method
 * over class for @Public, merged for the others).
 */
export function routeRules(app: NestFastifyApplication): Map<string, RouteRule> {
  const rules = new Map<string, RouteRule>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of Object.getOwnPropertyNames(prototype)) {
        if (name === 'constructor') continue;
        const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
        if (typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (method === undefined || methodPath === undefined) continue;
        const publicOnMethod = Reflect.getMetadata(IS_PUBLIC_KEY, handler) as boolean | undefined;
        const rule: RouteRule = {
          isPublic:
            publicOnMethod ??
            (Reflect.getMetadata(IS_PUBLIC_KEY, controller) as boolean | undefined) ??
            false,
          roles: metadataList<UserRole>(ROLES_KEY, handler, controller),
          permissions: metadataList<Permission>(PERMISSIONS_KEY, handler, controller),
          multipart:
            (Reflect.getMetadata(MULTIPART_LIMITS_KEY, handler) as MultipartLimits | undefined) ??
            null,
        };
        const verbs =
          method === RequestMethod.ALL
            ? ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']
            : [RequestMethod[method]];
        for (const base of controllerPaths) {
          for (const path of asList(methodPath)) {
            for (const verb of verbs) rules.set(`${verb} ${joinPath(base, path)}`, rule);
          }
        }
      }
    }
  }
  return rules;
}

/** A request that carries a body (declared length above zero, or chunked). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined && length !== '0') return true;
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Nothing is read before authentication (docs/security.md): a Fastify onRequest hook, which runs
 * before the body is parsed, checks every request that carries a body to a route that is not
 * @Public(): a live session (401), the route's roles and permissions (403), and the CSRF token
 * when it travels in the X-CSRF-Token header (403). The IP allow-list is left to the session
 * guard, which explains a refusal on its own page; a signed-in user from another address can
 * make the desk read at most one 64 KB form before it answers, never an upload's file. A `_csrf` field in
 * a form or JSON body is checked by the session guard once that body (at most 64 KB, the desk's
 * body limit, refused from its Content-Length before reading) is parsed, from a caller that has a
 * session and the role; the multipart routes (uploads of a few MB) check their leading `_csrf`
 * part before they read a file (multipart-upload.hook.ts). A refusal answers at once
 * and closes the connection, so the body is never read. The session guard still runs every check
 * on every route; this gate only moves them in front of the body.
 */
export function registerPreBodyGate(
  app: NestFastifyApplication,
  renderHtml: HtmlErrorRenderer,
): void {
  let rules: Map<string, RouteRule> | null = null;
  let services: { sessions: SessionService } | null = null;
  const fastify = app.getHttpAdapter().getInstance();

  // Answers at once; `return reply` from the hook ends the lifecycle there (Fastify's hooks docs).
  const refuse = (
    request: FastifyRequest,
    reply: FastifyReply,
    error: DomainException,
  ): FastifyReply => {
    void reply.header('connection', 'close');
    sendHttpError(error, request, reply, renderHtml);
    return reply;
  };

  fastify.addHook('onRequest', async (request, reply) => {
    if (!isStateChanging(request.method) || !hasBody(request)) return;
    const url = request.routeOptions.url;
    if (url === undefined) return;
    rules ??= routeRules(app);
    // A route no controller declares (none takes a body today) is treated as not public.
    const rule = rules.get(`${request.method} ${url}`) ?? {
      isPublic: false,
      roles: [],
      permissions: [],
      multipart: null,
    };
    if (rule.isPublic) return;
    services ??= { sessions: app.get(SessionService) };
    const user = await services.sessions.authenticate(sessionTokenOf(request));
    if (!user) return refuse(request, reply, unauthenticated());
    const header = request.headers[CSRF_HEADER];
    if (typeof header === 'string' && header !== '' && !csrfTokenMatches(header, user.csrfToken)) {
      return refuse(request, reply, new DomainException(ErrorCode.CsrfTokenInvalid, T.csrf));
    }
    if (!accessAllows(rule, user.role)) {
      return refuse(request, reply, new DomainException(ErrorCode.Forbidden, T.forbidden));
    }
    request.gateUser = user;
  });
}

function unauthenticated(): DomainException {
  return new DomainException(ErrorCode.Unauthenticated, T.unauthenticated);
}
