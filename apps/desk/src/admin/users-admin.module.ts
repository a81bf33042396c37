import { Module } from '@nestjs/common';
import { UserAdminModule } from '@madoguchi/auth';
import { QueueAdminModule } from '@madoguchi/tenant-admin';
import { InviteController } from './invite/invite.controller';
import { AdminQueuesController } from './queues/queues.controller';
import { AdminUsersController } from './users/users.controller';

/** Operator administration of users, invitations and queue membership (server-rendered pages). */
@Module({
  imports: [UserAdminModule, QueueAdminModule],
  controllers: [AdminUsersController, AdminQueuesController, InviteController],
})
export class UsersAdminModule {}
