export * from './password/password-hasher';
export * from './user/user.entity';
export * from './session/session.entity';
export * from './session/authenticated-user.type';
