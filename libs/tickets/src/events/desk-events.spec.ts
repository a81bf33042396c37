import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { DeskEventBus, DeskEventsModule, OnDeskEvent } from '@madoguchi/common';
import { MailDeliveryEvent } from '@madoguchi/mail';
import { TicketChangedEvent } from './ticket-changed.event';

@Injectable()
class ChangeRecorder {
  readonly heard: TicketChangedEvent[] = [];

  @OnDeskEvent('ticket.changed')
  async onChanged(event: TicketChangedEvent): Promise<void> {
    await Promise.resolve();
    this.heard.push(event);
  }
}

const changed = new TicketChangedEvent(1, 'ABCD2345', 7, 3, 'replied', 2);

describe('DeskEventBus and @OnDeskEvent', () => {
  let moduleRef: TestingModule;
  let bus: DeskEventBus;
  let recorder: ChangeRecorder;

  beforeEach(async () => {
    moduleRef = await Test.createTestingModule({
      imports: [DeskEventsModule],
      providers: [ChangeRecorder],
    }).compile();
    await moduleRef.init();
    bus = moduleRef.get(DeskEventBus);
    recorder = moduleRef.get(ChangeRecorder);
  });

  afterEach(async () => {
    await moduleRef.close();
  });

  it('should deliver an emitted payload to the listener of its name, once emitAsync resolves', async () => {
    await bus.emitAsync('ticket.changed', changed);
    expect(recorder.heard).toEqual([changed]);
  });

  it('should not deliver an event to the listener of another name', async () => {
    await bus.emitAsync('mail.delivery', new MailDeliveryEvent(5, 'sent'));
    expect(recorder.heard).toEqual([]);
  });

  it('should refuse at compile time a name outside the map or a payload of another event', () => {
    // Never run: `npm run typecheck` fails if any of these compiles.
    const typeChecksOnly = (): void => {
      // @ts-expect-error -- no such event in DeskEvents
      bus.emit('ticket.created', changed);
      // @ts-expect-error -- the payload of another event
      bus.emit('ticket.changed', new MailDeliveryEvent(5, 'sent'));
      class WrongListener {
        // @ts-expect-error -- a listener must take its event's payload
        @OnDeskEvent('mail.delivery')
        async on(_event: TicketChangedEvent): Promise<void> {}
      }
      void WrongListener;
    };
    expect(typeof typeChecksOnly).toBe('function');
  });
});
