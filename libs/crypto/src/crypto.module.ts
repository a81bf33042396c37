import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@madoguchi/config';
import { BlindIndex } from './blind-index';
import { CRYPTO_KEYS } from './crypto.constant';
import { type CryptoKeys, resolveCryptoKeys } from './crypto-keys';
import { FieldCipher } from './field-cipher';

@Global()
@Module({
  providers: [
    {
      provide: CRYPTO_KEYS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => resolveCryptoKeys(config),
    },
    {
      provide: FieldCipher,
      inject: [CRYPTO_KEYS],
      useFactory: (keys: CryptoKeys) => new FieldCipher(keys),
    },
    {
      provide: BlindIndex,
      inject: [CRYPTO_KEYS],
      useFactory: (keys: CryptoKeys) => new BlindIndex(keys),
    },
  ],
  exports: [FieldCipher, BlindIndex],
})
export class CryptoModule {}
