import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, enforceShutdownDeadline, runWorkers } from '@madoguchi/http';
import { createIntakeApp } from './intake-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // WORKERS > 1: this process only supervises that many copies of the app (docs/operations.md).
  await runWorkers(
    {
      app: 'intake',
      workers: config.http.workers,
      shutdownTimeoutMs: config.http.shutdownTimeoutMs,
      publicUrl: config.http.intakePublicUrl,
    },
    async () => {
      const app = await createIntakeApp(config);
      enforceShutdownDeadline('intake', config.http.shutdownTimeoutMs);
      await app.listen(config.http.intakePort, config.http.listenHost);
      announceReady('intake', config.http.intakePublicUrl);
    },
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
