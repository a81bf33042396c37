import { Injectable } from '@nestjs/common';
import type { ImapFlow } from 'imapflow';
import { PollingWorker, workerIndex } from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { InboundMailService } from '../ingest/inbound-mail.service';
import { InboundTemporaryError } from '../ingest/inbound-outcome.type';
import { describeImapTarget, type ImapMailboxTarget, parseImapUrl } from './imap-url';

/** Imported messages move here when the mailbox has a folder of this name (docs/email.md). */
export const IMAP_PROCESSED_MAILBOX = 'Processed';
/** Kept on a message refused for good (with \Seen), so it is never fetched again. */
export const IMAP_REJECTED_KEYWORD = '$MadoguchiRejected';
/** Kept on a message that failed unexpectedly several rounds in a row (with \Seen). */
export const IMAP_FAILED_KEYWORD = '$MadoguchiFailed';
/** Rounds a message may fail unexpectedly before it is set aside for the operator. */
export const IMAP_MAX_FAILED_ROUNDS = 5;
/** Messages one round takes at most (the UID list of one FETCH stays short). */
export const IMAP_MESSAGES_PER_ROUND = 200;
const TIMEOUT_MS = 30_000;

/** What one poll did. */
export interface ImapPollResult {
  /** Ingested (stored or deliberately dropped) and flagged \Seen. */
  imported: number;
  /** Refused for good: \Seen + $MadoguchiRejected. */
  rejected: number;
  /** Left unseen for a later round: the database was unavailable. */
  deferred: number;
  /** Left unseen after an unexpected error (set aside after IMAP_MAX_FAILED_ROUNDS). */
  failed: number;
}

type MessageOutcome = 'imported' | 'rejected' | 'deferred' | 'failed';

/**
 * Polls INBOUND_IMAP_URL (an operator whose support address lives at a mail provider) and
 * hands each unseen message to InboundMailService.ingest (docs/email.md "Transports"). Runs in
 * the intake app when the URL is set and INBOUND_IMAP_POLLER is not off.
 *
 * A message is flagged \Seen only after ingest resolved, so it is imported at least once and
 * never lost: database down (InboundTemporaryError) leaves it unseen and ends the round, to be
 * imported later; a message flagged but not yet moved when the connection drops is fetched
 * again, and ingest's Message-ID check stores it once. A permanent refusal is flagged \Seen
 * with $MadoguchiRejected and never fetched again. Bodies are fetched with BODY.PEEK, which
 * leaves \Seen alone. Each round is its own short connection (no IDLE to keep alive).
 */
@Injectable()
export class InboundImapPoller extends PollingWorker {
  private stopping = false;
  /** Unexpected failures per message (`uidvalidity:uid`), so a poison message is set aside. */
  private readonly failedRounds = new Map<string, number>();

  constructor(
    private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {
    super();
  }

  protected get intervalMs(): number {
    return this.config.inboundMail.imapPollIntervalMs;
  }

  protected startsOnBootstrap(): boolean {
    const { imapUrl, imapPollerEnabled } = this.config.inboundMail;
    if (!imapUrl || !imapPollerEnabled) return false;
    // One poller per app, not per worker (WORKERS > 1): the others would only race for the
    // same messages (ingest would still store each once).
    if (workerIndex() !== 0) return false;
    this.logger.log(`polling ${describeImapTarget(parseImapUrl(imapUrl))} for inbound mail`);
    return true;
  }

  override async onApplicationBootstrap(): Promise<void> {
    await super.onApplicationBootstrap();
    // The first round right away: mail that waited while the app was down comes in at start.
    if (this.isRunning) void this.tick();
  }

  override async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await super.beforeApplicationShutdown();
  }

  protected round(): Promise<ImapPollResult> {
    return this.pollOnce();
  }

  protected override failureMessage(error: unknown): string {
    return `IMAP poll failed: ${error instanceof Error ? error.message : String(error)}`;
  }

  /** One pass over the mailbox's unseen messages, oldest first (tests call it directly). */
  async pollOnce(): Promise<ImapPollResult> {
    const result: ImapPollResult = { imported: 0, rejected: 0, deferred: 0, failed: 0 };
    const { imapUrl } = this.config.inboundMail;
    if (!imapUrl || this.stopping) return result;
    const target = parseImapUrl(imapUrl);
    const client = await this.connectTo(target);
    await client.connect();
    try {
      const moveTo = await this.processedMailbox(client, target.mailbox);
      const lock = await client.getMailboxLock(target.mailbox);
      try {
        const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : '';
        // Oldest first, a bounded batch: a backlog drains over several rounds.
        const unseen = ((await client.search({ seen: false }, { uid: true })) || [])
          .sort((a, b) => a - b)
          .slice(0, IMAP_MESSAGES_PER_ROUND);
        // Sizes first: an oversized message is refused without being downloaded.
        const sizes = new Map<number, number>();
        if (unseen.length > 0) {
          const listed = await client.fetchAll(
            unseen.join(','),
            { uid: true, size: true },
            { uid: true },
          );
          for (const message of listed) sizes.set(message.uid, message.size ?? 0);
        }
        for (const uid of unseen) {
          if (this.stopping) break;
          const outcome = await this.importOne(
            client,
            uid,
            sizes.get(uid),
            `${uidValidity}:${uid}`,
            moveTo,
          );
          if (outcome) result[outcome]++;
          // The database is down: the rest would fail the same way; they wait for the next round.
          if (outcome === 'deferred') break;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    if (result.imported + result.rejected + result.deferred + result.failed > 0) {
      this.logger.log(
        `IMAP poll: ${result.imported} imported, ${result.rejected} refused, ${result.deferred} deferred, ${result.failed} failed`,
      );
    }
    return result;
  }

  private async connectTo(target: ImapMailboxTarget): Promise<ImapFlow> {
    // Loaded only where a mailbox is polled (INBOUND_IMAP_URL), not by every desk start.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({
      host: target.host,
      port: target.port,
      secure: target.secure,
      auth: { user: target.user, pass: target.pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    // A dropped connection surfaces here as well as in the pending command: never a crash.
    client.on('error', (error: Error) =>
      this.logger.warn(`IMAP connection error: ${error.message}`),
    );
    return client;
  }

  /** The "Processed" folder when the account has one (created by the operator, never by us). */
  private async processedMailbox(client: ImapFlow, polled: string): Promise<string | null> {
    const mailboxes = await client.list();
    const found = mailboxes.find(
      (mailbox) =>
        mailbox.path === IMAP_PROCESSED_MAILBOX || mailbox.name === IMAP_PROCESSED_MAILBOX,
    );
    return found && found.path !== polled ? found.path : null;
  }

  private async importOne(
    client: ImapFlow,
    uid: number,
    size: number | undefined,
    key: string,
    moveTo: string | null,
  ): Promise<MessageOutcome | null> {
    if (size !== undefined && size > this.config.inboundMail.maxMessageBytes) {
      this.logger.warn(`IMAP message ${uid} refused: ${size} bytes is over the limit`);
      await this.flag(client, uid, [IMAP_REJECTED_KEYWORD]);
      return 'rejected';
    }
    const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    // Gone meanwhile (another client moved or expunged it): nothing to do.
    if (!message || !message.source) return null;
    try {
      const outcome = await this.inbound.ingest(message.source, {
        transport: 'imap',
        envelopeTo: [],
      });
      this.failedRounds.delete(key);
      if (outcome.kind === 'rejected') {
        this.logger.log(`IMAP message ${uid} refused: ${outcome.reason ?? 'no reason given'}`);
        await this.flag(client, uid, [IMAP_REJECTED_KEYWORD]);
        return 'rejected';
      }
    } catch (error) {
      if (error instanceof InboundTemporaryError) {
        this.logger.warn(`IMAP message ${uid} left unread for later: ${error.message}`);
        return 'deferred';
      }
      return this.recordFailure(client, uid, key, error);
    }
    await this.flag(client, uid, []);
    if (moveTo) await client.messageMove(String(uid), moveTo, { uid: true });
    return 'imported';
  }

  /** Left unseen to be tried again; after IMAP_MAX_FAILED_ROUNDS set aside, loudly. */
  private async recordFailure(
    client: ImapFlow,
    uid: number,
    key: string,
    error: unknown,
  ): Promise<MessageOutcome> {
    const rounds = (this.failedRounds.get(key) ?? 0) + 1;
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    if (rounds < IMAP_MAX_FAILED_ROUNDS) {
      this.failedRounds.set(key, rounds);
      this.logger.error(`IMAP message ${uid} failed (round ${rounds}), left unread: ${detail}`);
      return 'failed';
    }
    this.failedRounds.delete(key);
    this.logger.error(
      `IMAP message ${uid} failed ${rounds} rounds: flagged ${IMAP_FAILED_KEYWORD} and left in the mailbox for the operator: ${detail}`,
    );
    await this.flag(client, uid, [IMAP_FAILED_KEYWORD]);
    return 'failed';
  }

  private async flag(client: ImapFlow, uid: number, keywords: string[]): Promise<void> {
    await client.messageFlagsAdd(String(uid), ['\\Seen', ...keywords], { uid: true });
  }
}
