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

/**
 * A multipart route whose handler reads the parts itself after the guards (so nothing large is
 * read before the session and role checks) and checks the leading `_csrf` part before it reads
 * any file (readMultipartForm in portal/affected-list-upload.hook.ts). The session guard then
 * leaves the form-field CSRF check to the handler; a token in the X-CSRF-Token header is still
 * checked by the guard.
 */
export const CsrfInMultipartParts = (): MethodDecorator => SetMetadata(CSRF_IN_MULTIPART_KEY, true);
