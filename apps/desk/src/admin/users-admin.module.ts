import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { QueueAdminModule } from '@madoguchi/tickets';
import { InviteController } from './invite.controller';
import { QueuesAdminController } from './queues.controller';
import { UsersAdminController } from './users.controller';

/** Operator administration of users, invitations and queue membership (server-rendered pages). */
@Module({
  imports: [UserAdminModule, QueueAdminModule],
  controllers: [UsersAdminController, QueuesAdminController, InviteController],
})
export class UsersAdminModule {}
