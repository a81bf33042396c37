export * from './password/password-hasher';
export * from './user/user.entity';
