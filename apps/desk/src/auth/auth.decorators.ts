import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { UserRole } from '@madoguchi/auth';
import type { Permission } from './permissions';

export const ALLOW_DURING_TOTP_ENROLMENT_KEY = 'madoguchi:allow-during-totp-enrolment';
export const ROLES_KEY = 'madoguchi:roles';
export const PERMISSIONS_KEY = 'madoguchi:permissions';
export const CSRF_IN_MULTIPART_KEY = 'madoguchi:csrf-in-multipart';

/** Reachable by staff who still have to enrol a second factor (the enrolment pages, logout, me). */
export const AllowDuringTotpEnrolment = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_DURING_TOTP_ENROLMENT_KEY, true);

/** Only these roles; others get 403. Prefer {@link RequirePermission}, which names the why. */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** Every listed permission is needed (PERMISSIONS in permissions.ts); others get 403. */
export const RequirePermission = (...permissions: Permission[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PERMISSIONS_KEY, permissions));

export const MULTIPART_LIMITS_KEY = 'madoguchi:multipart-limits';

/** The most a multipart route reads (readMultipartForm passes them to the parser). */
export interface MultipartLimits {
  /** File parts. */
  files: number;
  /** Bytes per file. */
  fileBytes: number;
  /** Text parts, `_csrf` included. */
  fields: number;
  /** Bytes per text part. */
  fieldBytes: number;
  /**
   * `refuse`: a file over `fileBytes`, or one file too many, is a 413 at once. `report`: the form
   * comes back with the file marked `truncated` (or `tooManyFiles` set), so the page can say so
   * beside its file input and keep what was typed.
   */
  overLimit: 'refuse' | 'report';
}

/**
 * A multipart route (the only routes that accept multipart/form-data; others answer 415), whose
 * handler reads the parts itself after the guards (so nothing large is read before the session
 * and role checks) and checks the leading `_csrf` part before it reads any file
 * (readMultipartForm in auth/multipart-upload.hook.ts), within `limits`. The session guard then
 * leaves the form-field CSRF check to the handler; a token in the X-CSRF-Token header is still
 * checked by the guard.
 */
export const CsrfInMultipartParts = (limits: MultipartLimits): MethodDecorator =>
  applyDecorators(
    SetMetadata(CSRF_IN_MULTIPART_KEY, true),
    SetMetadata(MULTIPART_LIMITS_KEY, limits),
  );
