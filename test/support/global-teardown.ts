import { rmSync } from 'node:fs';
import { TEMPLATE_DIR } from './env';

export default async function globalTeardown(): Promise<void> {
  rmSync(TEMPLATE_DIR, { recursive: true, force: true });
}
