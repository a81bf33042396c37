import 'reflect-metadata';
import { IsNull, Not } from 'typeorm';
import { CalendarClosure } from '@madoguchi/calendar';
import { DEMO_YEAR_END_CLOSURES, seedDemoData } from '@madoguchi/operations';
import { unknownPlaceholders } from '@madoguchi/common';
import { ANSWER_PURPOSES, ApprovedAnswerService, Incident } from '@madoguchi/incidents';
import { Merchant } from '@madoguchi/tenancy';
import { AnswerTemplateVersion } from '@madoguchi/incidents';
import { CannedResponse, replyMail } from '@madoguchi/tickets';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

describe(`demo data: canned responses and closures (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
  });

  afterAll(async () => {
    await testEnv?.cleanup();
  });

  it('should seed global canned responses and one per demo merchant, with placeholders', async () => {
    await expect(seedDemoData(testEnv.dataSource, 'demo-password-for-tests')).resolves.toBe(true);
    const canned = testEnv.dataSource.getRepository(CannedResponse);
    const global = await canned.findBy({ merchantId: IsNull() });
    expect(global.map((row) => row.title)).toEqual(expect.arrayContaining(['調査中です']));
    expect(global.length).toBeGreaterThanOrEqual(3);
    expect(global.every((row) => row.body.includes('{{reference}}'))).toBe(true);
    await expect(canned.countBy({ merchantId: Not(IsNull()) })).resolves.toBe(2);
  });

  it('should seed an incident that affects demo-a, with an approved answer of each purpose', async () => {
    const approved = new ApprovedAnswerService(testEnv.dataSource);
    const demoA = await testEnv.dataSource.manager.findOneByOrFail(Merchant, { code: 'demo-a' });
    const demoB = await testEnv.dataSource.manager.findOneByOrFail(Merchant, { code: 'demo-b' });
    const [incident] = await testEnv.dataSource.manager.find(Incident, { order: { id: 'DESC' } });
    for (const purpose of ANSWER_PURPOSES) {
      const answer = await approved.latestApproved(demoA.id, incident.id, purpose);
      expect(answer).toMatchObject({ purpose, version: 1 });
      expect(unknownPlaceholders(answer?.body ?? '{{missing}}')).toEqual([]);
      await expect(approved.latestApproved(demoB.id, incident.id, purpose)).resolves.toBeNull();
    }
  });

  it('should greet the shopper once in a reply mail built from any seeded text', async () => {
    const canned = await testEnv.dataSource.getRepository(CannedResponse).find();
    const answers = await testEnv.dataSource.getRepository(AnswerTemplateVersion).find();
    const bodies = [...canned, ...answers].map((row) =>
      row.body.replaceAll('{{name}}', '山田 太郎'),
    );
    expect(bodies.length).toBeGreaterThan(5);
    for (const body of bodies) {
      const mail = replyMail({
        to: 'taro@example.jp',
        senderName: 'デモ',
        siteName: 'デモ',
        requesterName: '山田 太郎',
        reference: 'K7QM-3XHD',
        body,
        messageId: 1,
        statusLink: { kind: 'none' },
      });
      expect(mail.text.match(/様\s*$/gm) ?? []).toHaveLength(1);
    }
  });

  it('should close the demo window over the year-end break, which the holiday package does not know', async () => {
    const closures = await testEnv.dataSource
      .getRepository(CalendarClosure)
      .find({ order: { date: 'ASC' } });
    expect(closures.map((row) => row.date)).toEqual([...DEMO_YEAR_END_CLOSURES]);
  });
});
