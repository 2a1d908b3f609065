export { ErasePersonalDataInput } from './erase-personal-data.input.js';
export { ErasePersonalDataResolver, erasureRequest } from './erase-personal-data.resolver.js';
export {
  authorizationOf,
  PersonalDataAuthorizationInput,
} from './personal-data-authorization.input.js';
export { PersonalDataErasureModel } from './personal-data-erasure.model.js';
export { PersonalDataGraphQLModule } from './personal-data-graphql.module.js';
export {
  PersonalDataReceiptModel,
  PersonalDataReceiptValueModel,
  personalDataReceiptModel,
} from './personal-data-receipt.model.js';
export { PersonalValueModel } from './personal-value.model.js';
export { personalValueOf, personalValues } from './personal-values.js';
export { revealedChanges, revealPersonalJson } from './personal-json.js';
