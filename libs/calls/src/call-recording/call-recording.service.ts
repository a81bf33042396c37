import { Injectable, Logger } from '@nestjs/common';
import { Readable } from 'node:stream';
import { DataSource, IsNull, Not } from 'typeorm';
import { AUDIT_ACTIONS, AuditService } from '@madoguchi/audit';
import {
  Clock,
  DomainException,
  ErrorCode,
  NotFoundException,
  runTransaction,
} from '@madoguchi/common';
import { AppConfig } from '@madoguchi/config';
import { FieldCipher } from '@madoguchi/crypto';
import { assertStaffScope, type TenantScope, type TicketActor } from '@madoguchi/tenancy';
import { Call } from '../call/call.entity';
import { CallRecordingPart } from '../call/call-recording-part.entity';
import { scopedCallQuery } from '../call-log/scoped-call-query';
import { isSimulatorRecordingUrl, simulatorSampleWav } from './simulator-sample.util';

/** Slices of a stored recording: base64 of at most this many bytes, sealed, one row each. */
export const RECORDING_PART_BYTES = 32 * 1024;
/** A voicemail is at most 120 s; anything much larger is not one of ours. */
export const RECORDING_MAX_BYTES = 16 * 1024 * 1024;
/** Calls whose recording one run of the job copies. */
const STORE_BATCH = 5;
const FETCH_TIMEOUT_MS = 15_000;
const NO_RECORDING = '録音が見つかりません。';

export interface RecordingAudio {
  contentType: string;
  /** A stream from Twilio, or the bytes of the desk's own copy (or the simulator's sample). */
  body: Readable | Buffer;
}

/**
 * Voicemail recordings in the desk. Playing: the call is looked up in the staff scope (another
 * merchant's call is 404), the play is audited, and the audio comes from the desk's sealed copy,
 * or else is streamed from Twilio, fetched with the account's credentials (basic auth) and only
 * from TWILIO_API_BASE_URL. Outside production a simulator recording plays the bundled sample.
 * Keeping (TELEPHONY_STORE_RECORDINGS, a job): copy sealed into call_recording_parts, then delete
 * the recording at Twilio.
 */
@Injectable()
export class CallRecordingService {
  private readonly logger = new Logger(CallRecordingService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async open(scope: TenantScope, callId: number, actor: TicketActor): Promise<RecordingAudio> {
    if (!Number.isSafeInteger(callId) || callId < 1) throw new NotFoundException(NO_RECORDING);
    const call = await scopedCallQuery(this.dataSource.manager, scope)
      .andWhere('call.id = :callId', { callId })
      .getOne();
    if (!call || (call.recordingUrl === null && call.recordingStoredAt === null)) {
      throw new NotFoundException(NO_RECORDING);
    }
    assertStaffScope(scope);
    await runTransaction(this.dataSource, (manager) =>
      this.audit.record(manager, {
        actor: { type: 'user', id: actor.userId },
        action: AUDIT_ACTIONS.callRecordingPlayed,
        merchantId: call.merchantId,
        target: { type: 'call', id: String(call.id) },
        ip: actor.ip,
        detail: { source: call.recordingStoredAt !== null ? 'desk' : 'twilio' },
      }),
    );
    if (call.recordingStoredAt !== null) {
      return {
        contentType: call.recordingContentType ?? 'audio/mpeg',
        body: await this.storedAudio(call.id),
      };
    }
    const url = this.cipher.decrypt(call.recordingUrl as string);
    const sample = this.sampleFor(url);
    if (sample) return sample;
    const response = await this.twilioRequest('GET', audioUrlOf(url));
    if (!response.body) throw unavailable();
    return {
      contentType: response.headers.get('content-type') ?? 'audio/mpeg',
      body: Readable.fromWeb(response.body as import('node:stream/web').ReadableStream),
    };
  }

  /**
   * The job (TELEPHONY_STORE_RECORDINGS): copies up to a few recordings into the desk, sealed,
   * then deletes them at Twilio; a delete that failed is retried on the next run. Returns how
   * many were stored. Safe with several desks: the copy is kept only by a conditional update.
   */
  async storeDue(now: Date = this.clock.now()): Promise<number> {
    if (!this.config.telephony.storeRecordings) return 0;
    const calls = await this.dataSource.getRepository(Call).find({
      select: { id: true, merchantId: true, recordingUrl: true, recordingStoredAt: true },
      where: [
        { recordingUrl: Not(IsNull()), recordingStoredAt: IsNull() },
        { recordingUrl: Not(IsNull()), recordingRemoteDeletedAt: IsNull() },
      ],
      order: { id: 'ASC' },
      take: STORE_BATCH,
    });
    let stored = 0;
    for (const call of calls) {
      try {
        const url = this.cipher.decrypt(call.recordingUrl as string);
        if (call.recordingStoredAt === null) {
          if (await this.storeOne(call, url, now)) stored += 1;
        }
        await this.deleteRemote(call.id, url, now);
      } catch (error) {
        this.logger.warn(
          `recording of call ${call.id} not stored: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    return stored;
  }

  private async storeOne(call: Call, url: string, now: Date): Promise<boolean> {
    const sample = this.sampleFor(url);
    const audio = sample
      ? { contentType: sample.contentType, bytes: sample.body as Buffer }
      : await this.fetchBytes(url);
    return runTransaction(this.dataSource, async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(Call)
        .set({ recordingStoredAt: now, recordingContentType: audio.contentType, updatedAt: now })
        .where('id = :id AND recording_stored_at IS NULL', { id: call.id })
        .execute();
      if (claimed.affected !== 1) return false;
      const parts: Partial<CallRecordingPart>[] = [];
      for (let offset = 0, partNo = 0; offset < audio.bytes.length; offset += RECORDING_PART_BYTES) {
        const slice = audio.bytes.subarray(offset, offset + RECORDING_PART_BYTES);
        parts.push({ callId: call.id, partNo: partNo++, content: this.cipher.encrypt(slice.toString('base64')) });
      }
      for (const part of parts) await manager.insert(CallRecordingPart, part);
      await this.audit.record(
        manager,
        {
          actor: { type: 'system' },
          action: AUDIT_ACTIONS.callRecordingStored,
          merchantId: call.merchantId,
          target: { type: 'call', id: String(call.id) },
          detail: { bytes: audio.bytes.length },
        },
        now,
      );
      return true;
    });
  }

  private async deleteRemote(callId: number, url: string, now: Date): Promise<void> {
    if (!this.sampleFor(url)) {
      const response = await this.twilioRequest('DELETE', `${stripExtension(url)}.json`, [404]);
      await response.body?.cancel();
    }
    await this.dataSource
      .createQueryBuilder()
      .update(Call)
      .set({ recordingRemoteDeletedAt: now, updatedAt: now })
      .where('id = :id AND recording_remote_deleted_at IS NULL', { id: callId })
      .execute();
  }

  private async storedAudio(callId: number): Promise<Buffer> {
    const parts = await this.dataSource.getRepository(CallRecordingPart).find({
      where: { callId },
      order: { partNo: 'ASC' },
    });
    return Buffer.concat(
      parts.map((part) => Buffer.from(this.cipher.decrypt(part.content), 'base64')),
    );
  }

  private sampleFor(url: string): RecordingAudio | null {
    if (this.config.isProduction || !isSimulatorRecordingUrl(url)) return null;
    return { contentType: 'audio/wav', body: simulatorSampleWav() };
  }

  private async fetchBytes(url: string): Promise<{ contentType: string; bytes: Buffer }> {
    const response = await this.twilioRequest('GET', audioUrlOf(url));
    const length = Number(response.headers.get('content-length') ?? '0');
    if (length > RECORDING_MAX_BYTES) throw unavailable();
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > RECORDING_MAX_BYTES) throw unavailable();
    return { contentType: response.headers.get('content-type') ?? 'audio/mpeg', bytes };
  }

  /**
   * One request to Twilio's REST API with the account's credentials (basic auth). Only URLs
   * under TWILIO_API_BASE_URL are fetched: a recording URL is data from a webhook, and the
   * credentials must never go anywhere else.
   */
  private async twilioRequest(
    method: 'GET' | 'DELETE',
    url: string,
    alsoFine: readonly number[] = [],
  ): Promise<Response> {
    const { accountSid, authToken, apiBaseUrl } = this.config.twilio;
    if (!accountSid || !authToken) {
      throw new DomainException(
        ErrorCode.RecordingUnavailable,
        'Twilio のアカウント（TWILIO_ACCOUNT_SID と TWILIO_AUTH_TOKEN）が設定されていないため、録音を取得できません。',
      );
    }
    if (!url.startsWith(`${apiBaseUrl}/`)) throw unavailable();
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        },
        redirect: 'follow',
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch {
      throw unavailable();
    }
    if (!response.ok && !alsoFine.includes(response.status)) {
      await response.body?.cancel();
      this.logger.warn(`Twilio answered ${response.status} to ${method} of a recording`);
      throw unavailable();
    }
    return response;
  }
}

function unavailable(): DomainException {
  return new DomainException(
    ErrorCode.RecordingUnavailable,
    '録音を Twilio から取得できませんでした。時間をおいて再度お試しください。',
  );
}

function stripExtension(url: string): string {
  return url.replace(/\.(mp3|wav|json)$/i, '');
}

/** Twilio's recording resource as audio: the URL without extension + `.mp3`. */
function audioUrlOf(url: string): string {
  return `${stripExtension(url)}.mp3`;
}
