import type { ResourceSpec } from '../resource.js';

export const historyResource: ResourceSpec = {
  name: 'history',
  title: { es: 'Historial', en: 'History' },
  description: {
    es: 'Un cambio por fila: cada evento del registro hasta el corte, con quién (rol y entidad, nunca la persona), cuándo y por qué',
    en: 'One change per row: every event of the log up to the cut, with who (role and agency, never the person), when and why',
  },
  primaryKey: ['position'],
  fields: [
    {
      name: 'position',
      type: 'integer',
      required: true,
      unique: true,
      minimum: 0,
      description: {
        es: 'Posición global en el registro (desde 0): la hoja del árbol de Merkle',
        en: 'Global position in the log (from 0): the leaf of the Merkle tree',
      },
    },
    {
      name: 'eventId',
      type: 'string',
      required: true,
      unique: true,
      description: { es: 'Identificador del evento (UUID)', en: 'Event id (UUID)' },
    },
    {
      name: 'streamId',
      type: 'string',
      required: true,
      description: {
        es: 'Flujo al que pertenece, p. ej. commitment-<id>',
        en: 'The stream it belongs to, e.g. commitment-<id>',
      },
    },
    {
      name: 'streamVersion',
      type: 'integer',
      required: true,
      minimum: 1,
      description: {
        es: 'Versión dentro del flujo (desde 1)',
        en: 'Version within the stream (from 1)',
      },
    },
    {
      name: 'type',
      type: 'string',
      required: true,
      description: {
        es: 'Tipo de evento, p. ej. MilestoneProgressReported',
        en: 'Event type, e.g. MilestoneProgressReported',
      },
    },
    {
      name: 'occurredAt',
      type: 'datetime',
      required: true,
      description: {
        es: 'Cuándo ocurrió, según quien lo registró (UTC)',
        en: 'When it happened, as its recorder said (UTC)',
      },
    },
    {
      name: 'recordedAt',
      type: 'datetime',
      required: true,
      description: { es: 'Cuándo lo registró Cuenta (UTC)', en: 'When Cuenta recorded it (UTC)' },
    },
    {
      name: 'actorRole',
      type: 'string',
      description: {
        es: 'Rol de quien lo causó (steward, moderator, citizen, ...)',
        en: 'Role of whoever caused it (steward, moderator, citizen, ...)',
      },
    },
    {
      name: 'actorAgency',
      type: 'string',
      description: {
        es: 'Entidad en cuyo nombre actuó, si alguna',
        en: 'The agency it acted for, if any',
      },
    },
    {
      name: 'reason',
      type: 'string',
      description: { es: 'Motivo dado con el cambio', en: 'Reason given with the change' },
    },
    {
      name: 'leafHash',
      type: 'string',
      required: true,
      pattern: '^[0-9a-f]{64}$',
      description: {
        es: 'Hash de hoja RFC 9162 del evento (hexadecimal), como lo guardó el registro',
        en: "The event's RFC 9162 leaf hash (hex), as the log stored it",
      },
    },
  ],
  sql: `
    SELECT global_position AS position, event_id AS "eventId", stream_id AS "streamId",
           stream_version AS "streamVersion", type,
           metadata->>'occurredAt' AS "occurredAt", metadata->>'recordedAt' AS "recordedAt",
           metadata->'actor'->>'role' AS "actorRole", metadata->'actor'->>'agency' AS "actorAgency",
           metadata->>'reason' AS reason, encode(substring(hashes FROM 1 FOR 32), 'hex') AS "leafHash"
      FROM events.events
     WHERE global_position < $1
     ORDER BY global_position`,
};
