import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, createFastifyApp } from '@madoguchi/http';
import { TelephonyModule } from './telephony.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createFastifyApp(TelephonyModule.forRoot(config), config);
  await app.listen(config.http.telephonyPort, '0.0.0.0');
  announceReady('telephony', config.http.telephonyPublicUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
