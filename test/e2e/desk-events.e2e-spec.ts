import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { DeskEventName } from '@madoguchi/common';
import { startDeskApp } from '../support/desk-test-app';
import { createTestEnvironment, TEST_DB, type TestEnvironment } from '../support/test-database';

/**
 * Every name of the DeskEvents map, once. The compiler keeps this record complete: a name added
 * to the map (by any lib's declaration merging) and missing here, or listed here and gone from
 * the map, fails `npm run typecheck`.
 */
const DESK_EVENTS: Record<DeskEventName, true> = {
  'ticket.changed': true,
  'mail.delivery': true,
};

// All events are emitted in the desk (the intake emits none), so the desk must hear them all.
describe(`desk events (${TEST_DB})`, () => {
  let testEnv: TestEnvironment;
  let desk: NestFastifyApplication;
  let emitter: EventEmitter2;

  beforeAll(async () => {
    testEnv = await createTestEnvironment();
    desk = await startDeskApp(testEnv);
    emitter = desk.get(EventEmitter2);
  });

  afterAll(async () => {
    await desk?.close();
    await testEnv?.cleanup();
  });

  it('should have a listener in the desk for every event of the map', () => {
    const unheard = Object.keys(DESK_EVENTS).filter((name) => emitter.listenerCount(name) === 0);
    expect(unheard).toEqual([]);
  });

  it('should listen to no event outside the map', () => {
    const heard = emitter.eventNames().map(String).sort();
    expect(heard).toEqual(Object.keys(DESK_EVENTS).sort());
  });
});
