import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { WebResponseInterceptor } from './web-response.interceptor';

/** The desk's web kit: lets page handlers return htmlPage()/seeOtherTo() instead of using @Res(). */
@Module({ providers: [{ provide: APP_INTERCEPTOR, useClass: WebResponseInterceptor }] })
export class WebKitModule {}
