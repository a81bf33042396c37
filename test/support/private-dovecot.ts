import { type ChildProcess, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

const DOVECOT = '/usr/sbin/dovecot';
/** The mail user's uid/gid when the test runs as root: Dovecot refuses mail access as uid 0. */
const NOBODY = 65534;

/** True when this machine can run a Dovecot of its own for a test (Debian `dovecot-imapd`). */
export function canRunPrivateDovecot(): boolean {
  return existsSync(DOVECOT);
}

/**
 * Whether an IMAP test runs here: with Dovecot installed, and always under CI=true, where a
 * missing Dovecot must fail the run (.ci/run installs it), never skip it quietly.
 */
export function privateDovecotRuns(): boolean {
  return canRunPrivateDovecot() || process.env.CI === 'true';
}

export const PRIVATE_DOVECOT_MISSING =
  `no ${DOVECOT} on this machine to run a private IMAP server ` +
  '(apt-get install -y --no-install-recommends dovecot-imapd; the system service need not run)';

/**
 * A Dovecot IMAP server of the test's own: its config, maildir and sockets in a temporary
 * directory, plain IMAP on 127.0.0.1 at a free port, one user with a password, no SSL. The
 * system's Dovecot (if any) is never touched.
 */
export interface PrivateDovecot {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** `imap://user:password@127.0.0.1:<port>/INBOX`, as INBOUND_IMAP_URL takes it. */
  readonly url: string;
  /** Ends the server (SIGTERM) and waits for it. */
  stop(): Promise<void>;
  /** Stops it and deletes its config and mail. */
  destroy(): Promise<void>;
}

export async function startPrivateDovecot(): Promise<PrivateDovecot> {
  if (!canRunPrivateDovecot()) throw new Error(PRIVATE_DOVECOT_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-dovecot-'));
  const port = await freePort();
  const user = 'desk';
  const password = 'dovecot-test-password';
  const config = writeConfig(dir, port, user, password);
  const logPath = join(dir, 'dovecot.log');

  let server: ChildProcess | null = spawn(DOVECOT, ['-F', '-c', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  // A test process that dies before its afterAll (process.exit) still takes the server along.
  const killOnExit = () => server?.kill('SIGTERM');
  process.once('exit', killOnExit);
  const log = () => `${stderr}\n${existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''}`;

  const stop = async () => {
    const running = server;
    server = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (await greets(port)) break;
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`private dovecot did not start on port ${port}:\n${log()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    url: `imap://${user}:${password}@127.0.0.1:${port}/INBOX`,
    stop,
    async destroy() {
      process.off('exit', killOnExit);
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Dovecot 2.3 settings (Debian 12). As root the master drops to Debian's `dovecot`/`dovenull`
 * users as usual and the mail belongs to nobody (uid 0 is refused for mail); as another user
 * everything runs as that user.
 */
function writeConfig(dir: string, port: number, user: string, password: string): string {
  const mailDir = join(dir, 'mail');
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub));
  const asRoot = process.getuid?.() === 0;
  const uid = asRoot ? NOBODY : (process.getuid?.() ?? NOBODY);
  const gid = asRoot ? NOBODY : (process.getgid?.() ?? NOBODY);
  if (asRoot) {
    // The mail processes run as nobody: they must reach the maildir through the temp directory.
    chmodSync(dir, 0o755);
    chownSync(mailDir, uid, gid);
  }
  const usersFile = join(dir, 'users');
  writeFileSync(usersFile, `${user}:{PLAIN}${password}\n`, { mode: 0o644 });
  const ownUser = asRoot
    ? ''
    : [
        `default_internal_user = ${userInfo().username}`,
        `default_login_user = ${userInfo().username}`,
        `first_valid_uid = ${uid}`,
      ].join('\n');
  const config = join(dir, 'dovecot.conf');
  writeFileSync(
    config,
    `# A private Dovecot for one test file (test/support/private-dovecot.ts).
protocols = imap
listen = 127.0.0.1
base_dir = ${join(dir, 'run')}
state_dir = ${join(dir, 'state')}
instance_name = madoguchi-test-${port}
log_path = ${join(dir, 'dovecot.log')}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${mailDir}/%u
${ownUser}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${mailDir}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
namespace inbox {
  inbox = yes
  separator = /
}
`,
  );
  return config;
}

/** True once something on the port answers with an IMAP greeting. */
function greets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => done(chunk.toString('utf8').startsWith('* OK')));
  });
}
