import DataLoader from 'dataloader';
import type { Actor } from '../../auth/actor.js';
import { perRequest } from '../../graphql/loaders/request-loaders.js';
import type { PersonalPlaceholder } from '../personal-data.js';
import type { PersonalDataStore, PersonalRef, RevealedValue } from '../personal-data.store.js';
import { mayReveal, maySeeSubjects } from '../personal-data-visibility.js';
import type { PersonalValueModel } from './personal-value.model.js';

const loaders = perRequest<DataLoader<PersonalRef, RevealedValue, string>>();

/**
 * The request's loader of personal values (one `reveal` per level of a query), kept with the
 * request's GraphQL context. Values are decrypted per request and never cached beyond it.
 */
export function personalValues(
  context: object,
  store: PersonalDataStore,
): DataLoader<PersonalRef, RevealedValue, string> {
  return loaders(
    context,
    () =>
      new DataLoader<PersonalRef, RevealedValue, string>((refs) => store.reveal(refs), {
        batchScheduleFn: (dispatch) => setImmediate(dispatch),
        cacheKeyFn: (ref) => `${ref.subject}/${ref.ref}/${ref.commitment}`,
      }),
  );
}

/**
 * A placeholder as the API shows it to `actor`: the value when its kind lets the caller see it
 * (`mayReveal`), `erased` with the date once erased, the subject id for administrators.
 * @param answeringAgency the agency whose stewards answer the person, when there is one.
 * @throws PersonalValueUnavailableError when the store and the log disagree (never a guess)
 */
export async function personalValueOf(
  placeholder: PersonalPlaceholder,
  request: { context: object; actor: Pick<Actor, 'role' | 'agencies'>; store: PersonalDataStore },
  answeringAgency?: string,
): Promise<PersonalValueModel> {
  const { personal } = placeholder;
  const revealed = await personalValues(request.context, request.store).load(personal);
  const subjectId = maySeeSubjects(request.actor) ? personal.subject : null;
  if (revealed.erased) {
    return {
      value: null,
      erased: true,
      erasedAt: revealed.erasedAt,
      kind: null,
      subjectId,
      commitment: personal.commitment,
    };
  }
  const visible = mayReveal(revealed.kind, request.actor, answeringAgency);
  return {
    value: visible ? revealed.value : null,
    erased: false,
    erasedAt: null,
    kind: revealed.kind,
    subjectId,
    commitment: personal.commitment,
  };
}
