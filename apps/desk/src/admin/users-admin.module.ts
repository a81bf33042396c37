import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { QueueAdminModule } from '@madoguchi/tenant-admin';
import { InviteController } from './invite/invite.controller';
import { QueuesAdminController } from './queues/queues.controller';
import { UsersAdminController } from './users/users.controller';

/** Operator administration of users, invitations and queue membership (server-rendered pages). */
@Module({
  imports: [UserAdminModule, QueueAdminModule],
  controllers: [UsersAdminController, QueuesAdminController, InviteController],
})
export class UsersAdminModule {}
