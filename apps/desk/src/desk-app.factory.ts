import cookie from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '@madoguchi/config';
import { createFastifyApp } from '@madoguchi/http';
import { DeskModule } from './desk.module';

/** Builds the desk app (used by main.ts and by the tests alike). */
export async function createDeskApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await createFastifyApp(DeskModule.forRoot(config), config);
  await app.register(cookie as never);
  return app;
}
