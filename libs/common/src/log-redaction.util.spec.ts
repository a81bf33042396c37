import { redactPersonalData } from './log-redaction.util';

describe('redactPersonalData', () => {
  it('should take e-mail addresses, phone numbers and echoed database values out of a line', () => {
    const line =
      "QueryFailedError: Duplicate entry 'taro.yamada@example.jp' for key 'uq_x' " +
      '(call +81 90 1234 5678, 090-1234-5678, 0312345678)';

    const redacted = redactPersonalData(line);

    expect(redacted).not.toMatch(/taro|example\.jp|1234|5678/);
    expect(redacted).toContain("Duplicate entry '[value]'");
    expect(redacted).toContain('[phone]');
  });

  it('should leave ids, times and ordinary words alone', () => {
    const line = 'outbox job 42 attempt 3 failed, next at 2031-03-01T03:00:00.000Z: ECONNREFUSED';

    expect(redactPersonalData(line)).toBe(line);
  });
});
