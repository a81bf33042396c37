import { Module } from '@nestjs/common';
import { MerchantStatsService } from './merchant-stats.service';

/** The merchant portal's statistics (desk only). Needs DatabaseModule from the app. */
@Module({ providers: [MerchantStatsService], exports: [MerchantStatsService] })
export class MerchantStatsModule {}
