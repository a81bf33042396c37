import { Controller, Get, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { sendStaticAsset } from '@madoguchi/http';
import { FAVICON_ASSET, UI_STYLESHEET_ASSET } from '@madoguchi/ui';

/**
 * The stylesheet and the icon, served from code: no file path ever comes from a request. Pages
 * link them with their content hash (`?v=`), which makes them cacheable for a year.
 */
@Controller('assets')
export class AssetsController {
  @Get('ui.css')
  stylesheet(@Query('v') version: unknown, @Res() reply: FastifyReply): void {
    sendStaticAsset(reply, UI_STYLESHEET_ASSET, version);
  }

  @Get('favicon.svg')
  favicon(@Query('v') version: unknown, @Res() reply: FastifyReply): void {
    sendStaticAsset(reply, FAVICON_ASSET, version);
  }
}
