import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { BusinessCalendar } from '@madoguchi/calendar';

export const SIMULATED_SCENARIOS = [
  'answered',
  'abandoned',
  'waiting',
  'callback',
  'voicemail',
  'out-of-hours',
] as const;
export type SimulatedScenario = (typeof SIMULATED_SCENARIOS)[number];

/** Header the telephony app honours outside production (TELEPHONY_ALLOW_SIMULATED_TIME). */
const SIMULATED_TIME_HEADER = 'X-Madoguchi-Simulated-Time';

export interface SimulateCallOptions {
  scenario: SimulatedScenario;
  /** Where the telephony app listens, e.g. http://localhost:3002. */
  url: string;
  /** TELEPHONY_PUBLIC_URL of that app: the signatures cover it, as Twilio's do. */
  publicUrl: string;
  authToken: string;
  /** The caller's number; 'anonymous' for a withheld caller ID. */
  from?: string;
  to?: string;
  /** When the call starts; default: now if that suits the scenario, else the next suitable time. */
  at?: Date;
  /** The shop's phone code the caller keys in (answered and abandoned calls). */
  code?: string;
  /** An agent's user id: the call is bridged to this agent (answered calls). */
  agentId?: number;
  log?: (line: string) => void;
}

export interface SimulatedCall {
  callSid: string;
  startedAt: Date;
  steps: { path: string; status: number }[];
}

// The desk plays the bundled sample for recordings of this account (SIMULATOR_ACCOUNT_SID).
const ACCOUNT_SID = `AC${'5'.repeat(32)}`; // = SIMULATOR_ACCOUNT_SID of @madoguchi/calls

function hex32(): string {
  return randomBytes(16).toString('hex');
}

/** Scenarios of a caller in hours (the others call out of hours and leave a message, or not). */
const IN_HOURS_SCENARIOS: readonly SimulatedScenario[] = [
  'answered',
  'abandoned',
  'waiting',
  'callback',
];

/** A start time that suits the scenario: in hours for answered/abandoned, out of hours otherwise. */
export function defaultStartFor(scenario: SimulatedScenario, now: Date): Date {
  const calendar = new BusinessCalendar();
  const inHours = IN_HOURS_SCENARIOS.includes(scenario);
  if (calendar.isOpenAt(now) === inHours) return now;
  if (inHours) return new Date(calendar.nextOpeningAt(now).getTime() + 5 * 60_000);
  // Today's 19:00 in Tokyo if that is still ahead or we are open now; it is out of hours either way.
  return new Date(`${calendar.tokyoDate(now)}T19:00:00+09:00`);
}

/**
 * Plays the whole webhook sequence of one call against a running telephony app, signed with the
 * auth token over the public URL, as Twilio would: incoming, phone code, queue, bridge or hang-up,
 * voicemail and recording callbacks, status callbacks. Every request carries the simulated time.
 */
export async function simulateCall(options: SimulateCallOptions): Promise<SimulatedCall> {
  const log = options.log ?? (() => undefined);
  const callSid = `CA${hex32()}`;
  const start = options.at ?? defaultStartFor(options.scenario, new Date());
  const from = options.from ?? `+8190${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  const base: Record<string, string> = {
    AccountSid: ACCOUNT_SID,
    ApiVersion: '2010-04-01',
    CallSid: callSid,
    Direction: 'inbound',
    From: from,
    Caller: from,
    To: options.to ?? '+81367447492',
    Called: options.to ?? '+81367447492',
  };
  const steps: SimulatedCall['steps'] = [];
  let sequence = 0;

  async function post(
    pathAndQuery: string,
    secondsIn: number,
    params: Record<string, string>,
  ): Promise<string> {
    const body = { ...base, ...params };
    const signature = twilio.getExpectedTwilioSignature(
      options.authToken,
      `${options.publicUrl}${pathAndQuery}`,
      body,
    );
    const at = new Date(start.getTime() + secondsIn * 1000);
    const response = await fetch(`${options.url}${pathAndQuery}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature,
        [SIMULATED_TIME_HEADER]: at.toISOString(),
      },
      body: new URLSearchParams(body).toString(),
    });
    const text = await response.text();
    steps.push({ path: pathAndQuery, status: response.status });
    log(`  ${at.toISOString()}  POST ${pathAndQuery} → ${response.status}`);
    if (!response.ok) {
      throw new Error(`${pathAndQuery} answered ${response.status}: ${text.slice(0, 300)}`);
    }
    return text;
  }

  function statusCallback(secondsIn: number, callStatus: string, duration?: number) {
    sequence += 1;
    const params: Record<string, string> = {
      CallStatus: callStatus,
      SequenceNumber: String(sequence),
      Timestamp: new Date(start.getTime() + secondsIn * 1000).toUTCString(),
      CallbackSource: 'call-progress-events',
    };
    if (duration !== undefined) params.CallDuration = String(duration);
    return post('/twilio/voice/status', secondsIn, params);
  }

  log(`call ${callSid} (${options.scenario}) at ${start.toISOString()}`);
  const first = await post('/twilio/voice/incoming', 0, { CallStatus: 'ringing' });
  const inHours = first.includes('<Gather');
  const expectsHours = IN_HOURS_SCENARIOS.includes(options.scenario);
  if (inHours !== expectsHours) {
    throw new Error(
      `the app answered ${inHours ? 'in hours' : 'out of hours'} at ${start.toISOString()}; ` +
        `give --at a time that suits "${options.scenario}"`,
    );
  }

  switch (options.scenario) {
    case 'answered':
    case 'abandoned':
    case 'waiting':
    case 'callback': {
      const digits = options.code ? { Digits: `${options.code}#` } : { Digits: '' };
      // Offsets in seconds from the first ring; the queue clock starts when the call is enqueued.
      let enqueued = 8;
      let twiml = await post('/twilio/voice/phone-code?attempt=1', enqueued, {
        CallStatus: 'in-progress',
        ...digits,
      });
      if (twiml.includes('<Gather')) {
        // A wrong code: the caller tries the same again, then goes on untagged.
        enqueued = 16;
        twiml = await post('/twilio/voice/phone-code?attempt=2', enqueued, {
          CallStatus: 'in-progress',
          ...digits,
        });
      }
      if (!twiml.includes('<Enqueue')) {
        throw new Error('the app did not enqueue the call (is an agent available on /calls?)');
      }
      await post('/twilio/voice/wait', enqueued + 2, {
        CallStatus: 'in-progress',
        QueueSid: `QU${hex32()}`,
        QueuePosition: '1',
        CurrentQueueSize: '1',
        QueueTime: '0',
        AvgQueueTime: '45',
      });
      if (options.scenario === 'waiting') {
        // The caller stays in the queue: the call is on the desk's waiting list (/calls).
        break;
      }
      if (options.scenario === 'callback') {
        // Nobody answers within the overflow time: the wait URL lets the caller leave, the offer
        // follows, and the caller presses 2 for a callback (docs/telephony.md, overflow).
        const queueTime = 60 * 60;
        const leave = await post('/twilio/voice/wait', enqueued + queueTime, {
          CallStatus: 'in-progress',
          QueuePosition: '1',
          QueueTime: String(queueTime),
        });
        if (!leave.includes('<Leave')) throw new Error('the app did not offer the overflow');
        await post('/twilio/voice/queue-result', enqueued + queueTime + 1, {
          CallStatus: 'in-progress',
          QueueResult: 'leave',
          QueueTime: String(queueTime),
        });
        await post('/twilio/voice/overflow-choice?attempt=1', enqueued + queueTime + 10, {
          CallStatus: 'in-progress',
          Digits: '2',
        });
        await statusCallback(enqueued + queueTime + 20, 'completed', enqueued + queueTime + 20);
        break;
      }
      if (options.scenario === 'answered') {
        const queueTime = 32;
        if (options.agentId !== undefined) {
          await post(
            `/twilio/voice/agent-bridged?agentId=${options.agentId}`,
            enqueued + queueTime,
            {
              CallStatus: 'in-progress',
              QueueSid: `QU${hex32()}`,
              QueueTime: String(queueTime),
              DequeingCallSid: `CA${hex32()}`,
            },
          );
        }
        const end = enqueued + queueTime + 184;
        await post('/twilio/voice/queue-result', end, {
          CallStatus: 'in-progress',
          QueueResult: 'bridged',
          QueueTime: String(queueTime),
        });
        await statusCallback(end + 1, 'completed', end + 1);
      } else {
        const queueTime = 95;
        const end = enqueued + queueTime;
        await post('/twilio/voice/queue-result', end, {
          CallStatus: 'in-progress',
          QueueResult: 'hangup',
          QueueTime: String(queueTime),
        });
        await statusCallback(end + 1, 'completed', end + 1);
      }
      break;
    }
    case 'voicemail': {
      const recordingSid = `RE${hex32()}`;
      const recording = {
        RecordingSid: recordingSid,
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${recordingSid}`,
        RecordingDuration: '24',
      };
      await post('/twilio/voice/voicemail', 52, {
        CallStatus: 'in-progress',
        ...recording,
        Digits: '#',
      });
      await statusCallback(55, 'completed', 55);
      await post('/twilio/voice/recording', 57, {
        ...recording,
        RecordingStatus: 'completed',
        RecordingChannels: '1',
        RecordingSource: 'RecordVerb',
      });
      break;
    }
    case 'out-of-hours':
      // The caller hears the hours and hangs up before the beep.
      await statusCallback(21, 'completed', 21);
      break;
  }
  return { callSid, startedAt: start, steps };
}
