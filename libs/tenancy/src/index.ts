export * from './merchant/merchant.entity';
export * from './site/site.entity';
