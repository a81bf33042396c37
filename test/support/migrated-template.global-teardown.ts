import { rmSync } from 'node:fs';
import { TEMPLATE_DIR_VARIABLE } from './migrated-template.global-setup';

export default function removeTemplateDir(): void {
  const dir = process.env[TEMPLATE_DIR_VARIABLE];
  if (!dir) return;
  rmSync(dir, { recursive: true, force: true });
  delete process.env[TEMPLATE_DIR_VARIABLE];
}
