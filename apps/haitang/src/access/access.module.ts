import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { SCOPE_DIRECTORY } from '@haitang/auth';
import { AccessGuard } from './access.guard';
import { AccessRoutesController } from './access-routes.controller';
import { ReadModelScopes } from './read-model-scopes';
import { RequestAuthenticator } from './request-authenticator';
import { RouteTable } from './route-table';

/** The access guard on every route, the scope directory it consults, and the route table. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AccessRoutesController],
  providers: [
    { provide: SCOPE_DIRECTORY, useClass: ReadModelScopes },
    { provide: APP_GUARD, useClass: AccessGuard },
    RouteTable,
    RequestAuthenticator,
  ],
  exports: [SCOPE_DIRECTORY, RouteTable, RequestAuthenticator],
})
export class AccessModule {}
