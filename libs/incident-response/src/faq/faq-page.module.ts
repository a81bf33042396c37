import { Module } from '@nestjs/common';
import { FaqPageService } from './faq-page.service';

/** The public incident page's answers and counters (intake and desk). Needs DatabaseModule. */
@Module({ providers: [FaqPageService], exports: [FaqPageService] })
export class FaqPageModule {}
