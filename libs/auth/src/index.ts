export * from './user/user.entity';
