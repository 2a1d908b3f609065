import { Module } from '@nestjs/common';
import { VerifyPageController } from './verify-page.controller.js';

/** The citizens' verification page at /verify (docs/verification.md). */
@Module({ controllers: [VerifyPageController] })
export class VerifyPageModule {}
