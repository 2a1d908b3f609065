import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import {
  Allow,
  authorizationOf,
  CallerRateLimiter,
  commandRequest,
  CommandResultModel,
  commandResultModel,
  CurrentActor,
  InvalidInputError,
  ReadPositions,
  type Actor,
  type CommandInput,
  type CuentaContext,
  type PersonalDataRequest,
} from '#platform';
import { EvaluationCommandHandler } from '../application/evaluation-command.handler.js';
import type { EvaluationCommand, EvaluationCommandType } from '../domain/index.js';
import {
  AnswerEvaluationInput,
  HideEvaluationInput,
  ReportEvaluationInput,
  RestoreEvaluationInput,
  SubmitEvaluationInput,
} from './dto/evaluation.inputs.js';

/** Injection token of the limiter of evaluation submissions per client. */
export const EVALUATION_RATE_LIMITER = Symbol('EVALUATION_RATE_LIMITER');

/**
 * Citizens evaluate (anonymously, with a pseudonymous actor id and a per-client rate limit,
 * or as `citizen`); the lead agency's stewards answer; anyone reports; moderators hide and
 * restore, with a reason. Each mutation answers once the read models hold its events.
 */
@Resolver()
export class EvaluationCommandsResolver {
  constructor(
    @Inject(EvaluationCommandHandler) private readonly handler: EvaluationCommandHandler,
    @Inject(ReadPositions) private readonly reads: ReadPositions,
    @Inject(EVALUATION_RATE_LIMITER) private readonly limiter: CallerRateLimiter,
  ) {}

  private async run(
    actor: Actor,
    type: EvaluationCommandType,
    input: CommandInput,
    personal?: PersonalDataRequest,
  ): Promise<CommandResultModel> {
    const request = commandRequest<EvaluationCommand>(actor, type, input);
    const result = await this.handler.handle({ ...request, personal });
    return commandResultModel(result, await this.reads.settle(result.positions));
  }

  @Allow('anonymous', 'citizen')
  @Mutation(() => CommandResultModel, {
    description:
      'Evaluates a commitment, a milestone or a dialogue space. Anonymous callers are rate ' +
      'limited per client. With personal data (comment, contact, groups) the result carries ' +
      'a receipt.',
  })
  async submitEvaluation(
    @CurrentActor() actor: Actor,
    @Args('input') input: SubmitEvaluationInput,
    @Context() context: CuentaContext,
  ): Promise<CommandResultModel> {
    await this.limiter.consume(actor, context.req?.ip);
    const { authorization, ratings, ...rest } = input;
    const personal: PersonalDataRequest = { authorization: authorizationOf(authorization) };
    const { dialogueUsefulness, ...otherRatings } = ratings ?? {};
    const data = {
      ...rest,
      ratings: {
        ...otherRatings,
        ...(dialogueUsefulness !== undefined && dialogueUsefulness !== null
          ? { dialogue_usefulness: dialogueUsefulness }
          : {}),
      },
    } as unknown as CommandInput;
    return this.run(actor, 'SubmitEvaluation', data, personal);
  }

  @Allow('steward', 'administrator')
  @Mutation(() => CommandResultModel, {
    description:
      "Answers an evaluation officially (stewards of the target's lead agency). A later " +
      'answer supersedes it; both stay in its history.',
  })
  answerEvaluation(
    @CurrentActor() actor: Actor,
    @Args('input') input: AnswerEvaluationInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'AnswerEvaluation', input);
  }

  @Allow('anonymous', 'citizen', 'moderator')
  @Mutation(() => CommandResultModel, {
    description:
      'Reports an evaluation. Each reporter (a token subject, or an anonymous caller by the ' +
      'pseudonymous id of its X-Cuenta-Session header, required) reports once. After enough ' +
      'distinct reporters (CUENTA_EVALUATION_AUTO_HIDE_AFTER, default 3) it is hidden ' +
      'automatically, pending review.',
  })
  async reportEvaluation(
    @CurrentActor() actor: Actor,
    @Args('input') input: ReportEvaluationInput,
    @Context() context: CuentaContext,
  ): Promise<CommandResultModel> {
    if (!actor.authenticated) {
      const session = context.req?.headers['x-cuenta-session'];
      if (typeof session !== 'string' || session === '') {
        throw new InvalidInputError(
          'X-Cuenta-Session',
          'is required for an anonymous report, sent over HTTP: it keeps one report per reporter',
        );
      }
    }
    await this.limiter.consume(actor, context.req?.ip);
    // The reporter is the verified caller, never client input.
    return this.run(actor, 'ReportEvaluation', {
      ...input,
      reporter: actor.subject,
    } as CommandInput);
  }

  @Allow('moderator', 'administrator')
  @Mutation(() => CommandResultModel, {
    description: 'Hides an evaluation, with a category and a reason; nothing is deleted.',
  })
  hideEvaluation(
    @CurrentActor() actor: Actor,
    @Args('input') input: HideEvaluationInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'HideEvaluation', input);
  }

  @Allow('moderator', 'administrator')
  @Mutation(() => CommandResultModel, {
    description: 'Shows a hidden evaluation again, with a reason.',
  })
  restoreEvaluation(
    @CurrentActor() actor: Actor,
    @Args('input') input: RestoreEvaluationInput,
  ): Promise<CommandResultModel> {
    return this.run(actor, 'RestoreEvaluation', input);
  }
}
