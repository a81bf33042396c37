import { ApiExcludeController } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@madoguchi/http';
import { UI_STYLESHEET } from '@madoguchi/ui';

/** The browser files beside this module (the build copies them to dist), read once at startup. */
function asset(name: string): string {
  return readFileSync(join(__dirname, name), 'utf8');
}

const CONSOLE_STYLESHEET = asset('console.css');
const CONSOLE_SCRIPT = asset('console.js');
const CONSOLE_VOICE_SCRIPT = asset('console-voice.js');

/**
 * The desk's static assets, read from fixed files: no file path ever comes from a request. Public,
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

  @Get('console-voice.js')
  consoleVoiceScript(@Res() reply: FastifyReply): void {
    send(reply, 'text/javascript; charset=utf-8', CONSOLE_VOICE_SCRIPT);
  }

  /**
   * The Twilio Voice JS SDK from the `@twilio/voice-sdk` dependency (no CDN: the console must
   * work without the internet). A fixed file of that package, never a requested path.
   */
  @Get('twilio-voice.min.js')
  twilioVoiceSdk(@Res() reply: FastifyReply): void {
    const sdk = twilioVoiceSdk();
    if (sdk === null) throw new NotFoundException();
    send(reply, 'text/javascript; charset=utf-8', sdk);
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

function send(reply: FastifyReply, type: string, body: string): void {
  void reply.header('cache-control', 'public, max-age=300').type(type).send(body);
}
