import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UserAdminService } from '@madoguchi/auth';
import { Public } from '@madoguchi/http';
import { oneTimeLinkPage, setPasswordByLink } from '../../account/password/one-time-link';
import type { HtmlPage } from '../../web';
import { renderInviteDonePage, renderInvitePage } from './invite.view';

/**
 * The invitee's link: set a password. Public (there is no session yet), so the guard asks for
 * no CSRF token; the one-time token in the URL is what authorises the change. Unknown, used or
 * expired links are a 404.
 */
@ApiExcludeController()
@Public()
@Controller('invite')
export class InviteController {
  constructor(private readonly users: UserAdminService) {}

  @Get(':token')
  async form(
    @Param('token') token: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage> {
    const invitee = await this.users.findInvite(token);
    return oneTimeLinkPage(reply, renderInvitePage({ token, ...invitee }));
  }

  @Post(':token')
  accept(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HtmlPage> {
    return setPasswordByLink({
      body,
      reply,
      set: (values) => this.users.acceptInvite(token, values, request.ip ?? null),
      form: async (errors) =>
        renderInvitePage({
          token,
          ...(await this.users.findInvite(token)),
          errors: { password: errors.password, confirmation: errors.confirmation },
        }),
      done: renderInviteDonePage,
    });
  }
}
