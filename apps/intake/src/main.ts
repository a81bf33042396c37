import 'reflect-metadata';
import { loadConfig } from '@madoguchi/config';
import { createIntakeApp } from './intake-app.factory';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await createIntakeApp(config);
  await app.listen(config.http.intakePort, '0.0.0.0');
  console.log(`intake listening on ${config.http.intakePublicUrl}`);
}

bootstrap().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
