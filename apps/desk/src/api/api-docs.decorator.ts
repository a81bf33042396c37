import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ErrorResponseDto } from './dto/error-response.dto';

/** The errors every authenticated route may answer with. */
export function ApiReadErrors(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'No valid session.' }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: 'Role not allowed, or IP not allowed.',
    }),
  );
}

/** A state-changing route: the CSRF header, and the errors of a ticket write. */
export function ApiWrite(
  options: { conflict?: boolean; notFound?: boolean } = {},
): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'X-CSRF-Token',
      required: true,
      description: "The session's CSRF token (from the login).",
    }),
    ApiBadRequestResponse({
      type: ErrorResponseDto,
      description: 'Invalid input: `errors` lists each field; nothing changed.',
    }),
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: 'Missing/wrong CSRF token, or a read-only (merchant) user.',
    }),
    ...(options.notFound === false
      ? []
      : [
          ApiNotFoundResponse({
            type: ErrorResponseDto,
            description: 'Unknown, or outside your scope.',
          }),
        ]),
    ...(options.conflict === false
      ? []
      : [
          ApiConflictResponse({
            type: ErrorResponseDto,
            description:
              'Stale version (STALE_VERSION), illegal status change (INVALID_STATUS_TRANSITION) or held by another agent.',
          }),
        ]),
  );
}
