export * from './queue-admin/queue-admin.service';
export * from './queue-admin/queue-admin.module';
export * from './merchant-admin/merchant-input.validator';
export * from './merchant-admin/merchant-admin.service';
export * from './merchant-admin/merchant-admin.module';
export * from './merchant-admin/merchant-settings.service';
export * from './merchant-admin/merchant-settings-users.service';
export * from './merchant-admin/merchant-settings.module';
