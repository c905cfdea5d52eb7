import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '@haitang/auth';
import { RouteTable } from './route-table';

@ApiTags('access')
@ApiBearerAuth()
@Controller('access')
export class AccessRoutesController {
  constructor(@Inject(RouteTable) private readonly table: RouteTable) {}

  @Get('routes')
  @Access({ action: 'read', roles: [], scope: 'caller' })
  @ApiOperation({ summary: 'Every route with who may call it (admin only): the table the access guard enforces' })
  routes() {
    return { routes: this.table.routes() };
  }
}
