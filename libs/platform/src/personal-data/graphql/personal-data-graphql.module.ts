import { Module } from '@nestjs/common';
import { ErasePersonalDataResolver } from './erase-personal-data.resolver.js';

/**
 * The personal-data store's GraphQL surface: `erasePersonalData`. Needs the global
 * PersonalDataStore (PersonalDataModule) and EVENT_STORE.
 */
@Module({ providers: [ErasePersonalDataResolver] })
export class PersonalDataGraphQLModule {}
