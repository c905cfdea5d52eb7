import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@haitang/auth';
import { ApiProblemAnswers } from '@haitang/ledger';
import { RouteTableAnswer } from './access-route-answers';
import { RouteTable } from './route-table';

@ApiTags('access')
@ApiBearerAuth()
@ApiProblemAnswers()
@Controller('access')
export class AccessRoutesController {
  constructor(@Inject(RouteTable) private readonly table: RouteTable) {}

  @Get('routes')
  @Access({ action: 'read', roles: [], scope: 'caller' })
  @ApiOperation({ summary: 'Every route with who may call it (admin only): the table the access guard enforces' })
  @ApiOkResponse({ type: RouteTableAnswer })
  routes(): RouteTableAnswer {
    return { routes: this.table.routes() };
  }
}
