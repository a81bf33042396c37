import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** One registered method and path, as Fastify routes it (`/tickets/:reference`). */
export interface RegisteredRoute {
  method: string;
  url: string;
}

/** The part of a Fastify instance this needs (Nest's adapter brings its own copy of Fastify's types). */
interface RouteHookHost {
  addHook(
    name: 'onRoute',
    hook: (route: { method: string | string[]; url: string }) => void,
  ): unknown;
}

const routeTables = new WeakMap<object, RegisteredRoute[]>();

/**
 * Records every route the app registers from now on: Nest controllers and plain Fastify routes
 * (the OpenAPI page) alike. Called by createFastifyApp before any route exists.
 */
export function recordRoutes(fastify: RouteHookHost): void {
  const routes: RegisteredRoute[] = [];
  routeTables.set(fastify, routes);
  fastify.addHook('onRoute', (route) => {
    for (const method of ([] as string[]).concat(route.method)) {
      routes.push({ method, url: route.url });
    }
  });
}

/**
 * The app's route table, so the security tests see every route, including one added later
 * that nobody listed (docs/security.md).
 */
export function registeredRoutes(app: NestFastifyApplication): readonly RegisteredRoute[] {
  const routes = routeTables.get(app.getHttpAdapter().getInstance() as object);
  if (!routes) throw new Error('the app was not built by createFastifyApp');
  return routes;
}
