export * from './merchant/merchant.entity';
export * from './site/site.entity';
export * from './site/site.service';
export * from './tenancy.module';
