import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UserAdminService } from '@madoguchi/auth';
import { Public } from '@madoguchi/http';
import { FormValues, sendPage } from '../console/console-http.util';
import { renderInviteDonePage, renderInvitePage } from '../views/invite.view';
import { adminFormErrors } from './users-admin.util';

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
  async form(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const invitee = await this.users.findInvite(token);
    // The token must not leak to other sites through the Referer of a followed link.
    void reply.header('referrer-policy', 'no-referrer');
    sendPage(reply, 200, renderInvitePage({ token, ...invitee }));
  }

  @Post(':token')
  async accept(
    @Param('token') token: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form = new FormValues(body);
    try {
      await this.users.acceptInvite(
        token,
        { password: form.text('password'), confirmation: form.text('confirmation') },
        request.ip ?? null,
      );
    } catch (error) {
      const errors = adminFormErrors(error, 'password');
      if (!errors) throw error;
      const invitee = await this.users.findInvite(token);
      void reply.header('referrer-policy', 'no-referrer');
      sendPage(
        reply,
        400,
        renderInvitePage({
          token,
          ...invitee,
          errors: { password: errors.password, confirmation: errors.confirmation },
        }),
      );
      return;
    }
    sendPage(reply, 200, renderInviteDonePage());
  }
}
