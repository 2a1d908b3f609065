import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Allow } from '#platform';
import { HealthService } from './health.service.js';

/** Plain HTTP for load balancers and container health checks: 200 when healthy, else 503. */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Allow('anonymous')
  @Get()
  async get(@Res() response: Response): Promise<void> {
    const report = await this.health.check();
    response.status(report.status === 'ok' ? 200 : 503).json(report);
  }
}
