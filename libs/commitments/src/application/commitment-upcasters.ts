import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue, Upcaster } from '#event-store';
import { agencyIdFromName } from '../domain/index.js';

// Old shapes of the commitment events, read as the domain now expects them. Events stay in
// the log as they were written (the ledger hashes them); the store applies these on read
// (docs/architecture.md, "Schema versions"). Every store that the domain reads through must be
// opened with them: `toDomainEvent` refuses an event older than its type's schema version.

/**
 * A lead agency recorded before agencies had ids (schema version 1), with the id derived
 * from its name exactly as a registration that leaves the id out derives it. Stewards were
 * then matched by that name. The derivation is not one to one: names that differ only in
 * letter case, accents or punctuation, or only after their 64th character, derive one id,
 * so their commitments now share it and a token naming it writes for all of them
 * (docs/architecture.md says what to check before upgrading). A name with no letter or
 * digit to derive from (a registration must now give such an agency its id) gets `agency-`
 * and 16 hex digits of its SHA-256. Anything that is not an agency object is left as it is.
 */
function withAgencyId(agency: JsonValue | undefined): JsonValue | undefined {
  if (typeof agency !== 'object' || agency === null || Array.isArray(agency)) return agency;
  if (typeof agency.id === 'string') return agency;
  const name = typeof agency.name === 'string' ? agency.name : '';
  const id =
    agencyIdFromName(name) ??
    `agency-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
  return { ...agency, id };
}

function object(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function registeredV1(data: JsonObject): JsonObject {
  return data.leadAgency === undefined
    ? data
    : { ...data, leadAgency: withAgencyId(data.leadAgency) as JsonValue };
}

/**
 * An old revision that changed the agency recorded only its new name: its id is the one the
 * new name derives, as stewards of that name were the ones who could then write.
 */
function revisedV1(data: JsonObject): JsonObject {
  const changes = object(data.changes);
  if (changes?.leadAgency === undefined) return data;
  return {
    ...data,
    changes: { ...changes, leadAgency: withAgencyId(changes.leadAgency) as JsonValue },
  };
}

/** A correction's replacement is a whole event of its own type, in its version-1 shape. */
function correctedV1(data: JsonObject): JsonObject {
  const replacement = object(data.replacement);
  const replaced = object(replacement?.data);
  if (replacement === undefined || replaced === undefined) return data;
  const upcast =
    replacement.type === 'CommitmentRegistered'
      ? registeredV1(replaced)
      : replacement.type === 'CommitmentRevised'
        ? revisedV1(replaced)
        : replaced;
  return upcast === replaced ? data : { ...data, replacement: { ...replacement, data: upcast } };
}

/** The commitments context's upcasters, for every event store the domain reads through. */
export const COMMITMENT_UPCASTERS: readonly Upcaster[] = [
  { type: 'CommitmentRegistered', from: 1, upcast: registeredV1 },
  { type: 'CommitmentRevised', from: 1, upcast: revisedV1 },
  { type: 'EventCorrected', from: 1, upcast: correctedV1 },
];
