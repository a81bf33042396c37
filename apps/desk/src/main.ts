import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { announceReady, createFastifyApp } from '@madoguchi/http';
import { DeskModule } from './desk.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createFastifyApp(DeskModule.forRoot(config), config);
  await app.listen(config.http.deskPort, '0.0.0.0');
  announceReady('desk', config.http.deskPublicUrl);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
