import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'madoguchi:public';

/**
 * Marks a route or controller as reachable without a session. Everything else is behind the
 * desk's global session guard (deny by default, STYLE 7).
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
