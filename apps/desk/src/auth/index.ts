export * from './auth.decorators';
export * from './current-scope.decorator';
export * from './current-user.decorator';
export * from './csrf.util';
export * from './desk-auth.module';
export * from './permissions';
export * from './safe-next-path.util';
export * from './session.guard';
