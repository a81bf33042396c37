import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, enforceShutdownDeadline } from '@madoguchi/http';
import { createIntakeApp } from './intake-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createIntakeApp(config);
  enforceShutdownDeadline('intake', config.http.shutdownTimeoutMs);
  await app.listen(config.http.intakePort, config.http.listenHost);
  announceReady('intake', config.http.intakePublicUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
