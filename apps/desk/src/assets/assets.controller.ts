import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public, sendStaticAsset, UNVERSIONED_CACHE_CONTROL } from '@madoguchi/http';
import { FAVICON_ASSET, UI_STYLESHEET_ASSET } from '@madoguchi/ui';
import {
  CONSOLE_SCRIPT_ASSET,
  CONSOLE_STYLESHEET_ASSET,
  CONSOLE_VOICE_SCRIPT_ASSET,
} from './console-assets';

/**
 * The desk's static assets, read from fixed files: no file path ever comes from a request. Public,
 * so the login page is styled too; they hold nothing secret. Pages link them with their content
 * hash (`?v=`): that URL is cached for a year (sendStaticAsset).
 */
@Public()
@ApiExcludeController()
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

  @Get('console.css')
  consoleStylesheet(@Query('v') version: unknown, @Res() reply: FastifyReply): void {
    sendStaticAsset(reply, CONSOLE_STYLESHEET_ASSET, version);
  }

  @Get('console.js')
  consoleScript(@Query('v') version: unknown, @Res() reply: FastifyReply): void {
    sendStaticAsset(reply, CONSOLE_SCRIPT_ASSET, version);
  }

  @Get('console-voice.js')
  consoleVoiceScript(@Query('v') version: unknown, @Res() reply: FastifyReply): void {
    sendStaticAsset(reply, CONSOLE_VOICE_SCRIPT_ASSET, version);
  }

  /**
   * The Twilio Voice JS SDK from the `@twilio/voice-sdk` dependency (no CDN: the console must
   * work without the internet). A fixed file of that package, never a requested path.
   */
  @Get('twilio-voice.min.js')
  twilioVoiceSdk(@Res() reply: FastifyReply): void {
    const sdk = twilioVoiceSdk();
    if (sdk === null) throw new NotFoundException();
    // Loaded by console-voice.js under its fixed name: no version in its URL, a short cache.
    void reply
      .header('cache-control', UNVERSIONED_CACHE_CONTROL)
      .type('text/javascript; charset=utf-8')
      .send(sdk);
  }
}

let voiceSdk: string | null | undefined;

function twilioVoiceSdk(): string | null {
  if (voiceSdk !== undefined) return voiceSdk;
  voiceSdk = null;
  try {
    // The package exports no package.json; its CommonJS entry is <root>/es5/twilio.js.
    const root = dirname(dirname(require.resolve('@twilio/voice-sdk')));
    const file = join(root, 'dist', 'twilio.min.js');
    if (existsSync(file)) voiceSdk = readFileSync(file, 'utf8');
  } catch {
    // Missing (a trimmed install): the console says so when an agent tries to take a call.
  }
  return voiceSdk;
}
