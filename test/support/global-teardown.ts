import { rmSync } from 'node:fs';
import { templateDir } from './env';

export default async function globalTeardown(): Promise<void> {
  rmSync(templateDir(), { recursive: true, force: true });
}
