import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@madoguchi/config';
import { assertDemoRunnerAllowed, DemoRunnerRefusedError, demoBannerLines } from './demo-banner';

const varDir = mkdtempSync(join(tmpdir(), 'madoguchi-banner-'));

describe('the start banner', () => {
  it('should name where the demo accounts come from and print the default password only', () => {
    const config = loadConfig({ NODE_ENV: 'development', MADOGUCHI_VAR_DIR: varDir });

    const text = demoBannerLines(config, {}, true, 3).join('\n');

    expect(text).toContain('demo-seed.ts');
    expect(text).toContain('"madoguchi-demo"');
  });

  it('should never print a DEMO_PASSWORD the operator chose', () => {
    const env = {
      NODE_ENV: 'development',
      MADOGUCHI_VAR_DIR: varDir,
      DEMO_PASSWORD: 's3cret-pa55',
    };

    const text = demoBannerLines(loadConfig(env), env, true, 3).join('\n');

    expect(text).not.toContain('s3cret-pa55');
    expect(text).toContain('DEMO_PASSWORD');
  });

  it('should refuse to run npm start with NODE_ENV=production', () => {
    expect(() => assertDemoRunnerAllowed({ isProduction: true })).toThrow(DemoRunnerRefusedError);
    expect(() => assertDemoRunnerAllowed({ isProduction: false })).not.toThrow();
  });
});
