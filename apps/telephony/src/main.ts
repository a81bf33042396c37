import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, enforceShutdownDeadline, runWorkers } from '@madoguchi/http';
import { createTelephonyApp } from './telephony-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  // WORKERS > 1: this process only supervises that many copies of the app (docs/operations.md).
  await runWorkers(
    {
      app: 'telephony',
      workers: config.http.workers,
      shutdownTimeoutMs: config.http.shutdownTimeoutMs,
      publicUrl: config.http.telephonyPublicUrl,
    },
    async () => {
      const app = await createTelephonyApp(config);
      enforceShutdownDeadline('telephony', config.http.shutdownTimeoutMs);
      await app.listen(config.http.telephonyPort, config.http.listenHost);
      announceReady('telephony', config.http.telephonyPublicUrl);
    },
  );
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
