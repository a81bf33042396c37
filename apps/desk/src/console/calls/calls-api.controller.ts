import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  ApiBadGatewayResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';

import type { AuthenticatedUser } from '@madoguchi/auth';
import { BusinessCalendar } from '@madoguchi/calendar';
import { AppConfig } from '@madoguchi/config';
import { Clock } from '@madoguchi/common';
import {
  AgentAvailabilityService,
  type CallbackAttemptResult,
  CallbackService,
  CallRecordingService,
  windowStatusAt,
  type WindowStatus,
  type CallbackItem,
  type CallDetail,
  type CallLogItem,
  CallLogService,
  type CallStats,
  CallStatsService,
  CallWorkService,
  type VoiceToken,
  VoiceTokenService,
  type WaitingCall,
  type WrapUpResult,
} from '@madoguchi/calls';
import type { Page } from '@madoguchi/tickets';
import { type TicketActor, type TenantScope } from '@madoguchi/tenancy';
import { CurrentActor, CurrentScope, CurrentUser, RequirePermission } from '../../auth';
import { ApiReadErrors, ApiWrite } from '../../api/api-docs.decorator';
import { CallLogPageDto } from '../../api/dto/call-response.dto';
import { ErrorResponseDto } from '../../api/dto/error-response.dto';
import { PageQueryDto } from '../../api/dto/ticket-query.dto';
import { CallLogQueryDto, CallRangeQueryDto } from './dto/call-query.dto';
import { AvailabilityDto, CallbackAttemptDto, WrapUpDto } from './dto/call-write.dto';
import { sendRecording } from './call-recording.response';

/** A path id as a number; anything else becomes 0, which the service answers with 404. */
export function callIdOf(id: string): number {
  return /^\d{1,9}$/.test(id) ? Number(id) : 0;
}

/**
 * `/api/v1/calls`: the call log (every desk user, scoped: a merchant user its merchant's calls)
 * and the agents' routes (permission call.take: waiting calls, the Voice token, wrap-up,
 * callbacks) and statistics (call.stats). A merchant user gets 403 on everything but the log.
 */
@ApiTags('calls')
@ApiReadErrors()
@Controller('api/v1/calls')
export class CallsApiController {
  constructor(
    private readonly log: CallLogService,
    private readonly work: CallWorkService,
    private readonly stats: CallStatsService,
    private readonly voice: VoiceTokenService,
    private readonly callbacksService: CallbackService,
    private readonly availability: AgentAvailabilityService,
    private readonly recordings: CallRecordingService,
    private readonly calendar: BusinessCalendar,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  @Get('window')
  @RequirePermission('call.take')
  @ApiOperation({
    summary:
      'Whether the window takes calls now (Tokyo business calendar), why not, and when it opens',
  })
  window(): WindowStatus {
    return windowStatusAt(this.calendar, this.clock.now(), this.config.twilio.windowNumber);
  }

  @Put('availability')
  @RequirePermission('call.take')
  @ApiWrite({ conflict: false, notFound: false })
  @ApiOperation({
    summary:
      "Sets the caller's availability for the window (available, busy, away); nobody available sends callers to the overflow offer at once",
  })
  @ApiOkResponse({ description: '`{availability}`' })
  async setAvailability(
    @CurrentUser() user: AuthenticatedUser,
    @Body() body: AvailabilityDto,
  ): Promise<{ availability: string }> {
    return { availability: await this.availability.set(user.id, body.availability) };
  }

  @Get()
  @RequirePermission('ticket.read')
  @ApiOperation({
    summary:
      'Calls on the window, newest first, paged (no caller numbers); filters narrow the scope',
  })
  @ApiOkResponse({ type: CallLogPageDto })
  list(
    @CurrentScope() scope: TenantScope,
    @Query() query: CallLogQueryDto,
  ): Promise<Page<CallLogItem>> {
    return this.log.list(scope, query.toPageRequest(), query.toFilter());
  }

  @Post('voice-token')
  @HttpCode(201)
  @RequirePermission('call.take')
  @ApiWrite({ conflict: false, notFound: false })
  @ApiOperation({
    summary: "A Twilio Voice access token for the agent's browser (identity agent-<userId>)",
  })
  @ApiCreatedResponse({ description: '`{token, identity, expiresInSeconds}`' })
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'TELEPHONY_NOT_CONFIGURED: the Twilio API key or TwiML App is not set.',
  })
  voiceToken(@CurrentUser() user: AuthenticatedUser): VoiceToken {
    return this.voice.issue(user.id);
  }

  @Get('waiting')
  @RequirePermission('call.take')
  @ApiOperation({
    summary: 'Callers waiting in the queue, first in first out, with their open tickets',
  })
  waiting(@CurrentScope() scope: TenantScope): Promise<WaitingCall[]> {
    return this.work.waiting(scope);
  }

  @Get('callbacks')
  @RequirePermission('call.take')
  @ApiOperation({ summary: 'Missed calls and voicemails not yet called back, oldest first' })
  callbacks(
    @CurrentScope() scope: TenantScope,
    @Query() query: PageQueryDto,
  ): Promise<Page<CallbackItem>> {
    return this.work.callbacks(scope, query.toPageRequest());
  }

  @Get('stats')
  @RequirePermission('call.stats')
  @ApiOperation({
    summary: 'Calls per hour (Tokyo), answer rate, average and p90 wait; at most 92 days',
  })
  callStats(
    @CurrentScope() scope: TenantScope,
    @Query() query: CallRangeQueryDto,
  ): Promise<CallStats> {
    return this.stats.stats(scope, query.toStatsQuery());
  }

  @Get(':id')
  @RequirePermission('call.take')
  @ApiOperation({ summary: "One call, with the caller's number (an audited view)" })
  detail(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
  ): Promise<CallDetail> {
    return this.work.detail(scope, callIdOf(id), actor);
  }

  @Post(':id/wrap-up')
  @HttpCode(201)
  @RequirePermission('call.take')
  @ApiWrite()
  @ApiOperation({
    summary: 'Summary, merchant and category: a new phone ticket or a link to an existing one',
  })
  wrapUp(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
    @Body() body: WrapUpDto,
  ): Promise<WrapUpResult> {
    return this.work.wrapUp(scope, callIdOf(id), body.toInput(), actor);
  }

  @Post(':id/claim')
  @HttpCode(204)
  @RequirePermission('call.take')
  @ApiWrite()
  @ApiOperation({
    summary:
      'Takes a callback (one agent at a time); 409 CALLBACK_ALREADY_CLAIMED names the agent who has it',
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'CALLBACK_ALREADY_CLAIMED' })
  async claim(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
  ): Promise<void> {
    await this.callbacksService.claim(scope, callIdOf(id), actor);
  }

  @Post(':id/callback-attempts')
  @HttpCode(201)
  @RequirePermission('call.take')
  @ApiWrite()
  @ApiOperation({
    summary:
      'Records a callback attempt (reached, no_answer, message_left) with a note; counted; written to the linked ticket',
  })
  @ApiCreatedResponse({ description: '`{callId, attempts, outcome, done, ticketReference}`' })
  attempt(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
    @Body() body: CallbackAttemptDto,
  ): Promise<CallbackAttemptResult> {
    return this.callbacksService.attempt(scope, callIdOf(id), body.toInput(), actor);
  }

  @Get(':id/recording')
  @RequirePermission('call.take')
  @ApiOperation({
    summary:
      "The call's recording as audio, streamed from Twilio (account credentials) or the desk's sealed copy; audited",
  })
  @ApiOkResponse({ description: 'audio/mpeg (or audio/wav)' })
  @ApiBadGatewayResponse({
    type: ErrorResponseDto,
    description: 'RECORDING_UNAVAILABLE: Twilio did not hand it over.',
  })
  async recording(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendRecording(reply, await this.recordings.open(scope, callIdOf(id), actor));
  }

  @Post(':id/callback-done')
  @HttpCode(204)
  @RequirePermission('call.take')
  @ApiWrite()
  @ApiOperation({ summary: 'Marks a missed call or voicemail called back' })
  @ApiNoContentResponse()
  async callbackDone(
    @CurrentActor() actor: TicketActor,
    @CurrentScope() scope: TenantScope,
    @Param('id') id: string,
  ): Promise<void> {
    await this.work.markCallbackDone(scope, callIdOf(id), actor);
  }
}
