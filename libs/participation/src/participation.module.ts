import { Module, type DynamicModule } from '@nestjs/common';
import { DialogueModule } from './dialogue/dialogue.module.js';
import { EvaluationsModule } from './evaluations/evaluations.module.js';
import { PrioritizationModule } from './prioritization/prioritization.module.js';

/**
 * The participation context: citizens' evaluations with official answers and moderation,
 * dialogue spaces with their improvement actions, and topic prioritization. Each part is a
 * module of its own; this one gathers them. Needs EventStoreModule and ProjectionsModule (with
 * the context's read models).
 */
@Module({})
export class ParticipationModule {
  static forRoot(): DynamicModule {
    return {
      module: ParticipationModule,
      imports: [
        DialogueModule.forRoot(),
        PrioritizationModule.forRoot(),
        EvaluationsModule.forRoot(),
      ],
    };
  }
}
