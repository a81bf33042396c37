import { parseInboundMail, type ParsedInboundMail } from '../parse/inbound-mail-parser';
import { bouncedMessageIds, bounceReasonOf, classifyAutomaticMail } from './automatic-mail.util';

const OURS = { domain: 'inbound.madoguchi.test', fromAddress: 'noreply@madoguchi.test' };

async function parsed(head: string, body = 'body'): Promise<ParsedInboundMail> {
  const mail = await parseInboundMail(Buffer.from(`${head.trim()}\r\n\r\n${body}\r\n`));
  if (!mail) throw new Error('not parsed');
  return mail;
}

describe('classifyAutomaticMail', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto_submitted'],
    ['Auto-Submitted: auto-generated', 'auto_submitted'],
    ['X-Autoreply: yes', 'autoreply_header'],
    ['X-Autorespond: 1', 'autoreply_header'],
    ['Precedence: bulk', 'precedence'],
    ['Precedence: junk', 'precedence'],
    ['Precedence: list', 'precedence'],
    ['Precedence: auto_reply', 'precedence'],
    ['List-Id: <news.example.jp>', 'mailing_list'],
  ])('should take %s for an automatic answer', async (header, reason) => {
    const mail = await parsed(`From: a@example.jp\r\nTo: b@x\r\nSubject: hi\r\n${header}`);
    expect(classifyAutomaticMail(mail, 'a@example.jp', OURS)).toEqual({
      kind: 'auto_reply',
      reason,
    });
  });

  it.each(['不在: お問い合わせ', 'Out of Office: inquiry', '自動返信：受付'])(
    'should take the out-of-office subject %s only with Outlook’s header',
    async (subject) => {
      const plain = await parsed(`From: a@example.jp\r\nSubject: ${subject}`);
      const outlook = await parsed(
        `From: a@example.jp\r\nSubject: ${subject}\r\nX-Auto-Response-Suppress: All`,
      );
      expect(classifyAutomaticMail(plain, 'a@example.jp', OURS)).toBeNull();
      expect(classifyAutomaticMail(outlook, 'a@example.jp', OURS)).toEqual({
        kind: 'auto_reply',
        reason: 'out_of_office',
      });
    },
  );

  it('should leave a person’s mail alone (Auto-Submitted: no, Precedence: normal)', async () => {
    const mail = await parsed(
      'From: a@example.jp\r\nAuto-Submitted: no\r\nPrecedence: normal\r\nSubject: Re: 注文',
    );
    expect(classifyAutomaticMail(mail, 'a@example.jp', OURS)).toBeNull();
  });

  it('should take a delivery report, and a mail system with the null sender, for a bounce', async () => {
    const report = await parsed(
      'From: a@example.jp\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=x',
      '--x\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--x--',
    );
    const daemon = await parsed('From: MAILER-DAEMON@mx.example.jp\r\nSubject: Undelivered');
    const postmaster = await parsed('From: postmaster@mx.example.jp\r\nSubject: Undelivered');
    expect(classifyAutomaticMail(report, 'a@example.jp', OURS)?.kind).toBe('bounce');
    expect(classifyAutomaticMail(daemon, undefined, OURS)?.kind).toBe('bounce');
    expect(classifyAutomaticMail(postmaster, '', OURS)?.kind).toBe('bounce');
    expect(classifyAutomaticMail(postmaster, 'postmaster@mx.example.jp', OURS)).toBeNull();
  });

  it('should take the null sender (SMTP, or Return-Path over IMAP) and our own mail for automatic', async () => {
    const mail = await parsed('From: a@example.jp\r\nSubject: hi');
    const viaImap = await parsed('Return-Path: <>\r\nFrom: a@example.jp\r\nSubject: hi');
    const loop = await parsed('From: reply+abc@inbound.madoguchi.test\r\nSubject: hi');
    expect(classifyAutomaticMail(mail, '', OURS)?.reason).toBe('null_sender');
    expect(classifyAutomaticMail(viaImap, undefined, OURS)?.reason).toBe('null_sender');
    expect(classifyAutomaticMail(loop, 'x@example.jp', OURS)?.reason).toBe('loop');
  });
});

describe('bouncedMessageIds and bounceReasonOf', () => {
  const dsn = (original: string) =>
    parsed(
      'From: MAILER-DAEMON@mx.example.jp\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=r',
      [
        '--r',
        'Content-Type: text/plain',
        '',
        'The mail system',
        '--r',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.jp',
        '',
        'Final-Recipient: rfc822; gone@example.jp',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
        '--r',
        original,
        '--r--',
      ].join('\r\n'),
    );

  it('should find the Message-ID in text/rfc822-headers and in a returned message/rfc822', async () => {
    const headers = await dsn(
      'Content-Type: text/rfc822-headers\r\n\r\nSubject: x\r\nMessage-ID:\r\n <abc@inbound.test>\r\n',
    );
    const whole = await dsn(
      'Content-Type: message/rfc822\r\n\r\nMessage-ID: <def@inbound.test>\r\nSubject: x\r\n\r\nbody',
    );
    expect(bouncedMessageIds(headers)).toEqual(['<abc@inbound.test>']);
    expect(bouncedMessageIds(whole)).toEqual(['<def@inbound.test>']);
    expect(bounceReasonOf(headers)).toBe('5.1.1 smtp; 550 5.1.1 user unknown');
  });

  it('should fall back to a Message-ID line quoted in the text', async () => {
    const mail = await parsed(
      'From: MAILER-DAEMON@mx.example.jp',
      'original:\r\nMessage-ID: <ghi@inbound.test>\r\n',
    );
    expect(bouncedMessageIds(mail)).toEqual(['<ghi@inbound.test>']);
  });
});
