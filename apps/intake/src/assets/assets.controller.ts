import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UI_STYLESHEET } from '@madoguchi/ui';

/** The one stylesheet, served from code: no file path ever comes from a request. */
@Controller('assets')
export class AssetsController {
  @Get('ui.css')
  stylesheet(@Res() reply: FastifyReply): void {
    void reply
      .header('cache-control', 'public, max-age=3600')
      .type('text/css; charset=utf-8')
      .send(UI_STYLESHEET);
  }
}
