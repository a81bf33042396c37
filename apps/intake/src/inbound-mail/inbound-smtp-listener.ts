import type { AddressInfo } from 'node:net';
import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  SMTPServer,
  type SMTPServerAddress,
  type SMTPServerDataStream,
  type SMTPServerSession,
} from 'smtp-server';
import { AppConfig } from '@madoguchi/config';
import {
  InboundMailService,
  type InboundOutcome,
  InboundTemporaryError,
} from '@madoguchi/inbound-mail';
import { rejectionText, SMTP_REPLIES, smtpReply } from './inbound-smtp-replies';

/** Recipients per message; more are refused one by one (452), the first ones still count. */
export const INBOUND_SMTP_MAX_RECIPIENTS = 20;
/**
 * Connections at once; one more is refused with 421 (an MTA comes back later). Each may hold a
 * message of up to INBOUND_MAIL_MAX_BYTES while it is parsed, so this bounds the listener's memory
 * (10 × 25 MiB, plus the parser's copies) rather than its throughput: a relay queues and retries.
 */
export const INBOUND_SMTP_MAX_CLIENTS = 10;
/** Silence on a connection before it is closed (RFC 5321 suggests minutes; a relay is quick). */
export const INBOUND_SMTP_SOCKET_TIMEOUT_MS = 60_000;
/** A connection's whole life: a client trickling bytes never holds a slot for long. */
export const INBOUND_SMTP_CONNECTION_LIFETIME_MS = 10 * 60_000;
/** On shutdown, open connections get this long to finish before a 421. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * The SMTP listener of inbound mail (docs/email.md "Transports"): an MX or a relay (Postfix)
 * delivers to it; every message goes to InboundMailService.ingest. It starts with the intake
 * app when INBOUND_SMTP_PORT is set and stops with it.
 *
 * A mail is either stored or refused with a reply the sending MTA understands, never lost:
 * 250 once ingest resolved (stored, or deliberately dropped: an auto-reply, a duplicate),
 * 550 for a permanent refusal, 451 (the MTA retries) when the database is down or anything
 * unexpected failed, 552 for an oversized message. No AUTH (it is not a submission server, and
 * relays nothing: recipients outside the inbound domain are refused at RCPT) and no STARTTLS
 * (TLS on the internet side is the MX's job; the listener binds loopback by default).
 */
@Injectable()
export class InboundSmtpListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InboundSmtpListener.name);
  private server: SMTPServer | undefined;
  /** Ingests in progress: shutdown waits for them before the data source closes. */
  private readonly ingesting = new Set<Promise<unknown>>();
  private readonly lifetimeTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly config: AppConfig,
    private readonly inbound: InboundMailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { smtpPort, smtpHost, domain } = this.config.inboundMail;
    if (smtpPort <= 0) return;
    const server = this.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(smtpPort, smtpHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // A connection's socket error (a reset mid-command) is the client's problem, never a crash.
    server.on('error', (error: Error) =>
      this.logger.warn(`SMTP connection error: ${error.message}`),
    );
    this.server = server;
    const address = this.address();
    this.logger.log(
      `inbound SMTP listening on ${address?.host}:${address?.port} for mail to @${domain}`,
    );
  }

  /** Stops accepting, lets open connections finish briefly, then waits for ingests in flight. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const timer of this.lifetimeTimers.values()) clearTimeout(timer);
    this.lifetimeTimers.clear();
    await Promise.allSettled([...this.ingesting]);
  }

  /** Where the listener is bound; null while it is off. */
  address(): { host: string; port: number } | null {
    const bound = this.server?.server.address() as AddressInfo | null | undefined;
    return bound ? { host: bound.address, port: bound.port } : null;
  }

  private createServer(): SMTPServer {
    const { domain, maxMessageBytes } = this.config.inboundMail;
    return new SMTPServer({
      name: domain,
      banner: 'Madoguchi inbound mail',
      secure: false,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      authOptional: true,
      // Advertised as SIZE (a declared larger size is refused at MAIL FROM); onData counts too.
      size: maxMessageBytes,
      rejectOversized: true,
      maxRecipients: INBOUND_SMTP_MAX_RECIPIENTS,
      maxClients: INBOUND_SMTP_MAX_CLIENTS,
      socketTimeout: INBOUND_SMTP_SOCKET_TIMEOUT_MS,
      closeTimeout: CLOSE_TIMEOUT_MS,
      disableReverseLookup: true,
      logger: false,
      onConnect: (session, callback) => this.onConnect(session, callback),
      onClose: (session) => this.forgetConnection(session.id),
      onRcptTo: (address, _session, callback) => this.onRcptTo(address, callback),
      onData: (stream, session, callback) => this.onData(stream, session, callback),
    });
  }

  private onConnect(session: SMTPServerSession, callback: (error?: Error | null) => void): void {
    const timer = setTimeout(() => {
      const connection = [...(this.server?.connections ?? [])].find(
        (open) => open.id === session.id,
      );
      connection?.send(421, SMTP_REPLIES.lifetimeExceeded);
      connection?.close();
    }, INBOUND_SMTP_CONNECTION_LIFETIME_MS);
    timer.unref();
    this.lifetimeTimers.set(session.id, timer);
    callback();
  }

  private forgetConnection(id: string): void {
    clearTimeout(this.lifetimeTimers.get(id));
    this.lifetimeTimers.delete(id);
  }

  /**
   * Only the inbound domain: a reply address, a site address or alias. Which local part is
   * known is ingest's decision (after DATA), so this never tells a prober which tickets exist.
   */
  private onRcptTo(address: SMTPServerAddress, callback: (error?: Error | null) => void): void {
    if (!acceptsDomain(address.address, this.config.inboundMail.domain)) {
      callback(smtpReply(550, SMTP_REPLIES.unknownDomain));
      return;
    }
    callback();
  }

  /**
   * Counts the bytes as they arrive and keeps none past the limit: an oversized message is
   * read to its end (the protocol needs that) and answered 552, never held whole in memory.
   * A client that disconnects mid-DATA never ends the stream: nothing is ingested.
   */
  private onData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (error?: Error | null) => void,
  ): void {
    const maxBytes = this.config.inboundMail.maxMessageBytes;
    const chunks: Buffer[] = [];
    let received = 0;
    stream.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    // The client went away mid-DATA: smtp-server destroys the stream (an error only with a
    // listener); 'end' never comes, so nothing half-received is ingested.
    stream.once('error', () => (chunks.length = 0));
    stream.once('end', () => {
      if (received > maxBytes || stream.sizeExceeded) {
        callback(smtpReply(552, SMTP_REPLIES.tooLarge(maxBytes)));
        return;
      }
      const delivery = this.deliver(Buffer.concat(chunks, received), session);
      this.ingesting.add(delivery);
      void delivery
        .then(
          () => callback(),
          (error: Error) => callback(error),
        )
        .finally(() => this.ingesting.delete(delivery));
    });
  }

  /** Ingests one message; rejects with the SMTP reply to give when it was not accepted. */
  private async deliver(raw: Buffer, session: SMTPServerSession): Promise<InboundOutcome> {
    const { mailFrom, rcptTo } = session.envelope;
    let outcome: InboundOutcome;
    try {
      outcome = await this.inbound.ingest(raw, {
        transport: 'smtp',
        envelopeFrom: mailFrom ? mailFrom.address : undefined,
        envelopeTo: rcptTo.map((rcpt) => rcpt.address),
        remoteIp: session.remoteAddress,
      });
    } catch (error) {
      if (error instanceof InboundTemporaryError) {
        this.logger.warn(`inbound mail deferred (451): ${error.message}`);
      } else {
        // A bug must not lose the mail: the MTA keeps it and retries; the log says why.
        this.logger.error(
          `inbound mail failed unexpectedly (451): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      }
      throw smtpReply(451, SMTP_REPLIES.tryLater);
    }
    if (outcome.kind === 'rejected') {
      // A sender over its hourly limit may send again later; every other refusal is final.
      const code = outcome.reason === 'rate_limited' ? 451 : 550;
      this.logger.log(`inbound mail refused (${code}): ${outcome.reason ?? 'no reason given'}`);
      throw smtpReply(code, rejectionText(outcome));
    }
    this.logger.log(`inbound mail accepted: ${outcome.kind}`);
    return outcome;
  }
}

/** True when the address is at the inbound domain (case-insensitive, as domains are). */
export function acceptsDomain(address: string, domain: string): boolean {
  const at = address.lastIndexOf('@');
  return at > 0 && address.slice(at + 1).toLowerCase() === domain.toLowerCase();
}
