import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Allow } from '#platform';
import { HealthService } from './health.service.js';

/**
 * Plain HTTP for load balancers, orchestrators and container health checks: 200 when
 * healthy, else 503.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Allow('anonymous')
  @Get()
  async get(@Res() response: Response): Promise<void> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  }

  /** Liveness: the process runs and serves HTTP; it reads nothing, so a database outage does not restart it. */
  @Allow('anonymous')
  @Get('live')
  live(): { status: 'live' } {
    return { status: 'live' };
  }

  /** Readiness: whether to send this server traffic (see HealthService.ready). */
  @Allow('anonymous')
  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const readiness = await this.health.ready();
    response.status(readiness.status === 'ready' ? 200 : 503).json(readiness);
  }
}
