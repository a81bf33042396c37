import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@madoguchi/http';
import { UI_STYLESHEET } from '@madoguchi/ui';
import { CONSOLE_SCRIPT } from './console-script';
import { CONSOLE_STYLESHEET } from './console-stylesheet';

/**
 * The desk's static assets, served from code: no file path ever comes from a request. Public,
 * so the login page is styled too; they hold nothing secret.
 */
@Public()
@ApiExcludeController()
@Controller('assets')
export class AssetsController {
  @Get('ui.css')
  stylesheet(@Res() reply: FastifyReply): void {
    send(reply, 'text/css; charset=utf-8', UI_STYLESHEET);
  }

  @Get('console.css')
  consoleStylesheet(@Res() reply: FastifyReply): void {
    send(reply, 'text/css; charset=utf-8', CONSOLE_STYLESHEET);
  }

  @Get('console.js')
  consoleScript(@Res() reply: FastifyReply): void {
    send(reply, 'text/javascript; charset=utf-8', CONSOLE_SCRIPT);
  }
}

function send(reply: FastifyReply, type: string, body: string): void {
  void reply.header('cache-control', 'public, max-age=300').type(type).send(body);
}
