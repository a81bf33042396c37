export * from './merchant/merchant.entity';
export * from './site/site.entity';
export * from './site/site.service';
export * from './tenancy.module';
export * from './merchant/merchant-lock.util';
export * from './queue/queue.entity';
export * from './scope/ticket-scope';
export * from './scope/scope-restriction';
