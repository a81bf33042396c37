import { ValidationFailedException } from '@madoguchi/common';
import {
  parseAgentClient,
  parseCallParams,
  parseDigits,
  parseRecording,
  parseStatusCallback,
} from './call-webhook.params';

const SID = `CA${'a'.repeat(32)}`;

describe('webhook parameters', () => {
  it('should accept a CallSid in either case and reject other shapes', () => {
    expect(parseCallParams({ CallSid: SID.toUpperCase() }).callSid).toBe(SID.toUpperCase());
    for (const bad of ['', 'CA12', `CA${'z'.repeat(32)}`, [SID, SID]]) {
      expect(() => parseCallParams({ CallSid: bad })).toThrow(ValidationFailedException);
    }
  });

  it('should list every bad field of a status callback at once', () => {
    try {
      parseStatusCallback({ CallSid: 'x', CallStatus: 'boom', SequenceNumber: '-3' });
      throw new Error('expected a ValidationFailedException');
    } catch (error) {
      expect((error as ValidationFailedException).fieldErrors.map((e) => e.field)).toEqual([
        'CallSid',
        'CallStatus',
        'SequenceNumber',
      ]);
    }
  });

  it('should read -1 durations as unknown and ignore unknown extra parameters', () => {
    const parsed = parseRecording({
      CallSid: SID,
      RecordingSid: `RE${'b'.repeat(32)}`,
      RecordingUrl: 'https://api.twilio.com/x',
      RecordingDuration: '-1',
      NewTwilioParam: 'x',
    });
    expect(parsed.recordingSeconds).toBeNull();
  });

  it('should read digits without the finishing key and agent client identities', () => {
    expect(parseDigits({ Digits: '101#' })).toBe('101');
    expect(parseDigits({ Digits: '' })).toBeNull();
    expect(parseDigits({})).toBeNull();
    expect(parseAgentClient({ From: 'client:agent-42' })).toBe(42);
    expect(() => parseAgentClient({ From: 'client:agent-0' })).toThrow(ValidationFailedException);
  });
});
