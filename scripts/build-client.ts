/**
 * Builds the browser client (client/ → client/dist) with Vite. With --if-needed, only when a source
 * file is newer than the last build, so that `npm start` costs nothing when the client is current.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..');
const client = path.join(root, 'client');
const stamp = path.join(client, 'dist', '.built');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function upToDate(): boolean {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return newestSource(client) <= built && statSync(path.join(root, 'package-lock.json')).mtimeMs <= built;
}

if (process.argv.includes('--if-needed') && upToDate()) process.exit(0);

const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.error(
    existsSync(stamp)
      ? 'The client build may be out of date, but Vite is not installed (npm ci installs it); serving the last build.'
      : 'The browser client is not built and Vite is not installed: run npm ci, then npm run build:client.',
  );
  process.exit(0);
}
console.log('Building the browser client…');
const result = spawnSync(
  process.execPath,
  [vite, 'build', '--config', path.join(client, 'vite.config.mts'), '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, new Date().toISOString());
