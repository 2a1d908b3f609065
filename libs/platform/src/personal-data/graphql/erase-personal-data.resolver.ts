import { Inject } from '@nestjs/common';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { EVENT_STORE, type EventStore } from '#event-store';
import type { Actor } from '../../auth/actor.js';
import { Allow } from '../../auth/allow.decorator.js';
import { ForbiddenError } from '../../auth/auth.errors.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { InvalidInputError } from '../../errors/invalid-input.error.js';
import { eraseAndRecord, type ErasureRequest } from '../personal-data-erasure.js';
import { PersonalDataStore } from '../personal-data.store.js';
import { ErasePersonalDataInput } from './erase-personal-data.input.js';
import { PersonalDataErasureModel } from './personal-data-erasure.model.js';

/** `erasePersonalData`: by the holder of a receipt, or by an administrator (docs/privacy.md). */
@Resolver()
export class ErasePersonalDataResolver {
  constructor(
    @Inject(PersonalDataStore) private readonly store: PersonalDataStore,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  // Anyone holding a receipt may erase with it; erasing by subject id is checked below.
  @Allow('anonymous', 'administrator')
  @Mutation(() => PersonalDataErasureModel, {
    description:
      "Erases a person's personal data: their values and data key are destroyed, and " +
      'PersonalDataErased (holding nothing personal) is appended to `personal-data-<subjectId>`. ' +
      'Every proof and export still verifies; the values read as erased, with the date. ' +
      'With `receipt`: anyone holding it. With `subjectId` and `reason`: administrators.',
  })
  async erasePersonalData(
    @CurrentActor() actor: Actor,
    @Args('input') input: ErasePersonalDataInput,
  ): Promise<PersonalDataErasureModel> {
    return eraseAndRecord(this.store, this.events, erasureRequest(actor, input));
  }
}

/** The input as an erasure request, or a clear error naming what is wrong. */
export function erasureRequest(actor: Actor, input: ErasePersonalDataInput): ErasureRequest {
  const receipt = input.receipt ?? undefined;
  const subjectId = input.subjectId ?? undefined;
  if ((receipt === undefined) === (subjectId === undefined)) {
    throw new InvalidInputError(
      'input',
      'give either receipt (the secret of your receipt) or subjectId and reason (administrators)',
    );
  }
  if (receipt !== undefined) {
    if (input.reason != null) {
      throw new InvalidInputError('reason', 'is for administrators erasing by subjectId');
    }
    return { by: 'subject', receiptSecret: receipt };
  }
  if (actor.role !== 'administrator') {
    throw new ForbiddenError(
      'ROLE',
      'erasing by subjectId is for administrators; a person erases with their receipt',
    );
  }
  if (input.reason == null || input.reason.trim() === '') {
    throw new InvalidInputError('reason', "is required: the written request's reference");
  }
  return {
    by: 'administrator',
    subjectId: subjectId as string,
    reason: input.reason.trim(),
    administrator: actor.subject,
  };
}
