import { PersonalData1795000000900 } from './migrations/1795000000900-personal-data.js';

/**
 * The personal-data store's schema (`personal`), migrated with the platform's read
 * migrations by openReadDatabase. Not among PLATFORM_READ_MIGRATIONS: the projections and
 * their command line never read these tables, so they do not require them.
 */
export const PERSONAL_DATA_MIGRATIONS = [PersonalData1795000000900];
