// `npm run start:dev`: `npm start` in watch mode. tsc recompiles what changed (the browser
// assets are watched too), the path aliases are rewritten and the assets copied as `npm run
// build` does, then `dist/scripts/start.js` runs again: migrations, the demo data (seeded once)
// and the three apps on their ports. Plain JavaScript, so it needs no build of its own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, watch } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const STOP_TIMEOUT_MS = 15000;

/** The running `start.js` (it runs the three apps), or null. */
let apps = null;
let restarting = false;
let restartAgain = false;
let stopping = false;

rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawn(bin('tsc'), ['-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
tsc.stdout.setEncoding('utf8');
let tscOutput = '';
tsc.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tscOutput += chunk;
  // tsc ends every compilation, with or without type errors, on this line.
  if (/Watching for file changes\./.test(tscOutput)) {
    tscOutput = '';
    void restart();
  }
});
tsc.on('exit', (code) => {
  if (!stopping) {
    console.error(`[start:dev] tsc exited (code ${code})`);
    void shutdown(1);
  }
});

// The browser scripts and styles are served from dist/ as they are: tsc does not see them.
let assetTimer = null;
let firstBuildDone = false;
for (const top of ['apps', 'libs']) {
  for (const project of readdirSync(join(root, top))) {
    const dir = join(root, top, project, 'src', 'assets');
    if (!existsSync(dir)) continue;
    watch(dir, (_event, file) => {
      if (!firstBuildDone || !/\.(js|css)$/.test(String(file))) return;
      clearTimeout(assetTimer);
      assetTimer = setTimeout(() => void restart(), 300);
    });
  }
}

async function restart() {
  firstBuildDone = true;
  if (restarting) {
    restartAgain = true;
    return;
  }
  restarting = true;
  try {
    do {
      restartAgain = false;
      const alias = spawnSync(bin('tsc-alias'), ['-p', 'tsconfig.build.json'], {
        cwd: root,
        stdio: 'inherit',
      });
      const assets = spawnSync('npm', ['run', '-s', 'build:assets'], {
        cwd: root,
        stdio: 'inherit',
      });
      if (alias.status !== 0 || assets.status !== 0) {
        console.error('[start:dev] the build failed; waiting for the next change');
        continue;
      }
      await stopApps();
      if (stopping) return;
      console.log('[start:dev] starting the apps');
      const child = spawn(process.execPath, [join(root, 'dist', 'scripts', 'start.js')], {
        cwd: root,
        stdio: 'inherit',
      });
      child.on('exit', (code, signal) => {
        if (apps === child) apps = null;
        if (!stopping && !signal) {
          console.error(`[start:dev] the apps stopped (code ${code}); waiting for a change`);
        }
      });
      apps = child;
    } while (restartAgain && !stopping);
  } finally {
    restarting = false;
  }
}

/** start.js stops the three apps on SIGTERM and exits once they have. */
function stopApps() {
  const child = apps;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (tsc.exitCode === null) tsc.kill('SIGTERM');
  await stopApps();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
