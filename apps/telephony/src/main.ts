import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, enforceShutdownDeadline } from '@madoguchi/http';
import { createTelephonyApp } from './telephony-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createTelephonyApp(config);
  enforceShutdownDeadline('telephony', config.http.shutdownTimeoutMs);
  await app.listen(config.http.telephonyPort, config.http.listenHost);
  announceReady('telephony', config.http.telephonyPublicUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
