import {
  agentDialTwiml,
  agentRefusedTwiml,
  enqueueTwiml,
  outOfHoursTwiml,
  phoneCodeTwiml,
  voicemailThanksTwiml,
  waitTwiml,
} from './voice-twiml';

const urls = { base: 'https://tel.example.jp' };

describe('voice TwiML builders', () => {
  it('should greet in Japanese and gather the phone code with absolute action URLs', () => {
    const twiml = phoneCodeTwiml(urls, 1, true);
    expect(twiml).toContain(
      '<Say language="ja-JP" voice="Polly.Mizuki">お電話ありがとうございます',
    );
    expect(twiml).toMatch(/<Gather [^>]*input="dtmf"/);
    expect(twiml).toMatch(/<Gather [^>]*finishOnKey="#"/);
    expect(twiml).toMatch(/<Gather [^>]*actionOnEmptyResult="true"/);
    expect(twiml).toContain('action="https://tel.example.jp/twilio/voice/phone-code?attempt=1"');
    expect(twiml).not.toContain('<Enqueue');
  });

  it('should ask again without the greeting on the second attempt', () => {
    const twiml = phoneCodeTwiml(urls, 2, false);
    expect(twiml).not.toContain('お電話ありがとうございます');
    expect(twiml).toContain('もう一度');
    expect(twiml).toContain('phone-code?attempt=2');
  });

  it('should enqueue into the window with wait and action URLs', () => {
    const twiml = enqueueTwiml(urls, false);
    expect(twiml).toContain(
      '<Enqueue waitUrl="https://tel.example.jp/twilio/voice/wait" waitUrlMethod="POST" action="https://tel.example.jp/twilio/voice/queue-result" method="POST">window</Enqueue>',
    );
  });

  it('should announce position and minutes, then hold with a pause', () => {
    const twiml = waitTwiml(2, 61);
    expect(twiml).toContain('現在、2番目にお待ちいただいています。');
    expect(twiml).toContain('おおよその待ち時間は、2分です。');
    expect(twiml).toContain('このままお待ちください');
    expect(twiml).toContain('<Pause length="20"/>');
    expect(waitTwiml(null, null)).not.toContain('番目');
  });

  it('should give the hours, record a voicemail with a status callback and hang up, out of hours', () => {
    const twiml = outOfHoursTwiml(urls, 10, 18);
    expect(twiml).toContain('平日10時から18時');
    expect(twiml).toMatch(
      /<Record [^>]*action="https:\/\/tel\.example\.jp\/twilio\/voice\/voicemail"/,
    );
    expect(twiml).toMatch(
      /<Record [^>]*recordingStatusCallback="https:\/\/tel\.example\.jp\/twilio\/voice\/recording"/,
    );
    expect(twiml).toMatch(/<Record [^>]*maxLength="120"/);
    expect(twiml).toMatch(/<Record [^>]*playBeep="true"/);
    expect(twiml).toMatch(/<\/Record>|<Record [^>]*\/><Hangup\/>/);
    expect(twiml).not.toContain('<Enqueue');
    expect(voicemailThanksTwiml()).toContain('<Hangup/>');
  });

  it('should dial the window queue for an agent with the bridged URL naming the agent', () => {
    expect(agentDialTwiml(urls, 7)).toContain(
      '<Dial><Queue url="https://tel.example.jp/twilio/voice/agent-bridged?agentId=7" method="POST">window</Queue></Dial>',
    );
  });

  it('should refuse a client that may not take calls in Japanese, then hang up', () => {
    const twiml = agentRefusedTwiml();
    expect(twiml).toMatch(/<Say language="ja-JP"[^>]*>[^<]+<\/Say><Hangup\/><\/Response>$/);
    expect(twiml).not.toContain('<Dial');
  });
});
