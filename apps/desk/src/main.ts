import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, enforceShutdownDeadline } from '@madoguchi/http';
import { createDeskApp } from './desk-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createDeskApp(config);
  enforceShutdownDeadline('desk', config.http.shutdownTimeoutMs);
  await app.listen(config.http.deskPort, config.http.listenHost);
  announceReady('desk', config.http.deskPublicUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
