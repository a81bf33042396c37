export * from './ticket/ticket.constant';
export * from './ticket/ticket.entity';
export * from './queue/queue.entity';
export * from './queue/queue-member.entity';
export * from './message/message.entity';
export * from './idempotency/idempotency-key.entity';
