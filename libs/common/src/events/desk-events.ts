import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter2, EventEmitterModule, OnEvent } from '@nestjs/event-emitter';

/**
 * Every event the apps emit, by name → payload class. The map is empty here: the lib that owns
 * an event adds it beside its payload class by declaration merging,
 *
 *     declare module '@madoguchi/common' {
 *       interface DeskEvents { 'ticket.changed': TicketChangedEvent }
 *     }
 *
 * so an emit ({@link DeskEventBus}) or a listener ({@link OnDeskEvent}) of a name that is not in
 * the map, or with another payload, does not compile, and a lib low in the layers (mail) can own
 * an event that a higher one (tickets) listens to. test/e2e/desk-events.e2e-spec.ts lists the
 * names once more (the compiler keeps that list complete) and fails on an event without a
 * listener: an event nobody hears is dead code.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface DeskEvents {}

export type DeskEventName = keyof DeskEvents & string;

/**
 * The one way to emit an event: after the transaction that made the change has committed, so a
 * listener reads the committed rows.
 */
@Injectable()
export class DeskEventBus {
  constructor(private readonly emitter: EventEmitter2) {}

  /** Fire and forget: the listeners run on their own (each catches its own errors). */
  emit<K extends DeskEventName>(name: K, payload: DeskEvents[K]): void {
    this.emitter.emit(name, payload);
  }

  /** Resolves once every listener has finished: for a caller whose result depends on them. */
  async emitAsync<K extends DeskEventName>(name: K, payload: DeskEvents[K]): Promise<void> {
    await this.emitter.emitAsync(name, payload);
  }
}

/**
 * Marks a provider's method as the listener of one event of {@link DeskEvents}; the method must
 * take that event's payload. Listeners run asynchronously and their rejections are awaited by
 * `emitAsync` rather than lost.
 */
export function OnDeskEvent<K extends DeskEventName>(name: K) {
  return <M extends (payload: DeskEvents[K]) => Promise<void>>(
    target: object,
    method: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void => {
    OnEvent(name, { async: true, promisify: true })(target, method, descriptor);
  };
}

/**
 * The event bus of an app: the emitter (its listeners are found among the app's providers at
 * start-up) and {@link DeskEventBus}, global so a feature lib injects the bus without importing
 * this module.
 */
@Global()
@Module({
  imports: [EventEmitterModule.forRoot()],
  providers: [DeskEventBus],
  exports: [DeskEventBus],
})
export class DeskEventsModule {}
