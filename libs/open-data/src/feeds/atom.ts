import { createHash } from 'node:crypto';
import { Feed } from 'feed';
import { RULES, type RedFlag } from '#oversight';
import type { FeedEntryRow } from './feed-entries.queries.js';
import { feedUrl, RED_FLAGS_FEED_URL, type FeedKind } from './feed-urls.js';

/** What each change is called in a feed, in Spanish and English. */
const LABELS: Readonly<Record<string, readonly [string, string]>> = {
  CommitmentRegistered: ['Compromiso registrado', 'Commitment registered'],
  CommitmentRevised: ['Compromiso revisado', 'Commitment revised'],
  CommitmentPublished: ['Compromiso publicado', 'Commitment published'],
  CommitmentStarted: ['Compromiso iniciado', 'Commitment started'],
  CommitmentCompleted: ['Compromiso cumplido', 'Commitment completed'],
  CommitmentWithdrawn: ['Compromiso retirado', 'Commitment withdrawn'],
  MilestoneAdded: ['Hito agregado', 'Milestone added'],
  MilestoneRescheduled: ['Hito reprogramado', 'Milestone rescheduled'],
  MilestoneProgressReported: ['Avance de hito reportado', 'Milestone progress reported'],
  MilestoneCompleted: ['Hito cumplido', 'Milestone completed'],
  MilestoneCancelled: ['Hito cancelado', 'Milestone cancelled'],
  BudgetRecorded: ['Presupuesto registrado', 'Budget recorded'],
  EventCorrected: ['Corrección registrada', 'Correction recorded'],
};

/** A change's label; a type the feeds do not know yet is shown by its name. */
export function labelOf(type: string): readonly [string, string] {
  return LABELS[type] ?? [type, type];
}

const KIND_TITLES: Readonly<Record<FeedKind, readonly [string, string]>> = {
  commitment: ['Compromiso', 'Commitment'],
  agency: ['Entidad', 'Agency'],
  'action-plan': ['Plan de acción', 'Action plan'],
};

// RFC 4122's URL namespace: feed ids are name-based (version 5) UUIDs of the log's origin
// and the feed's path, so the same feed keeps its id and two logs never share one.
const URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

export function nameBasedUuid(name: string): string {
  const hash = createHash('sha1').update(URL_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface AtomFeed {
  /** The API's address as the caller reached it (`https://cuenta.example`): links are absolute. */
  base: string;
  kind: FeedKind;
  key: string;
  /** What it is about: a commitment's code and title, an agency's name, a plan's id. */
  name: string;
  /** The log's origin (`cuenta.example/cartagena`). */
  origin: string;
  /** Newest first. */
  entries: FeedEntryRow[];
}

/** Text as HTML: titles and summaries are `type="html"`, so `<` and `&` are escaped. */
function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * An Atom 1.0 document (RFC 4287) of a feed. The feed's id depends only on the log's origin
 * and the feed's path, never on the address it was fetched at; entry ids are the events' own
 * UUIDs (`urn:uuid:`), so an entry keeps its id forever; times are the log's `recordedAt`.
 * The author is the log itself: entries never name who made a change. Precondition: at
 * least one entry (every commitment has its registration).
 */
export function atomOf(feed: AtomFeed): string {
  const path = feedUrl(feed.kind, feed.key);
  const self = `${feed.base}${path}`;
  const [es, en] = KIND_TITLES[feed.kind];
  const atom = new Feed({
    id: `urn:uuid:${nameBasedUuid(`${feed.origin}${path}`)}`,
    title: `${es} / ${en}: ${feed.name}`,
    author: { name: `Cuenta (${feed.origin})` },
    description: `Cambios registrados en el log firmado de Cuenta / Changes recorded in Cuenta's signed log (${feed.origin})`,
    link: self,
    feedLinks: { atom: self },
    updated: new Date(feed.entries[0].recordedAt),
    generator: 'Cuenta',
    language: 'es',
    copyright: 'Datos abiertos / Open data',
  });
  for (const entry of feed.entries) {
    const [entryEs, entryEn] = labelOf(entry.type);
    const lines = [
      `${entryEs} / ${entryEn}`,
      `${entry.commitmentCode}: ${entry.commitmentTitle}`,
      ...(entry.milestoneId === null ? [] : [`Hito / milestone: ${entry.milestoneId}`]),
      ...(entry.reason === null ? [] : [`Motivo / reason: ${entry.reason}`]),
      `Posición en el log / log position: ${entry.position}`,
    ];
    atom.addItem({
      id: `urn:uuid:${entry.eventId}`,
      title: html(`${entry.commitmentCode}: ${entryEs} / ${entryEn}`),
      link: `${feed.base}${feedUrl('commitment', entry.commitmentId)}`,
      date: new Date(entry.recordedAt),
      published: new Date(entry.recordedAt),
      description: lines.map(html).join('<br>'),
      category: [{ term: entry.type }],
    });
  }
  return atom.atom1();
}

export interface RedFlagsAtomFeed {
  /** The API's address as the caller reached it: links are absolute. */
  base: string;
  /** The log's origin. */
  origin: string;
  /** Newest raised first. */
  flags: readonly RedFlag[];
}

const RULE_TITLES = new Map(RULES.map((rule) => [rule.code, rule.title]));

/** When a flag last changed: its closing, else its raising. */
const changedAt = (flag: RedFlag): string => flag.closedAt ?? flag.raisedAt;

/**
 * The Atom document of red flags, newest raised first. Entry ids are name-based UUIDs of the
 * log's origin and the flag's own stable id, so a flag keeps its entry; an entry is updated
 * when the flag closes. The feed's `updated` is the latest of its entries' (the epoch when
 * there is none), so the document, and its ETag, change only when a flag does. Entries say
 * what was flagged, never who: justifications are counted, not quoted.
 */
export function redFlagsAtomOf(feed: RedFlagsAtomFeed): string {
  const self = `${feed.base}${RED_FLAGS_FEED_URL}`;
  const latest = feed.flags.reduce(
    (max, flag) => (Date.parse(changedAt(flag)) > Date.parse(max) ? changedAt(flag) : max),
    new Date(0).toISOString(),
  );
  const atom = new Feed({
    id: `urn:uuid:${nameBasedUuid(`${feed.origin}${RED_FLAGS_FEED_URL}`)}`,
    title: 'Alertas / Red flags',
    author: { name: `Cuenta (${feed.origin})` },
    description: `Alertas levantadas a partir del log firmado de Cuenta / Red flags raised from Cuenta's signed log (${feed.origin})`,
    link: self,
    feedLinks: { atom: self },
    updated: new Date(latest),
    generator: 'Cuenta',
    language: 'es',
    copyright: 'Datos abiertos / Open data',
  });
  for (const flag of feed.flags) {
    const title = RULE_TITLES.get(flag.rule) ?? { es: flag.rule, en: flag.rule };
    const [commitment] = flag.subject.commitmentIds;
    const lines = [
      `${flag.rule} v${flag.ruleVersion}: ${title.es} / ${title.en}`,
      flag.state === 'open' ? 'Abierta / open' : 'Cerrada / closed',
      `Sujeto / subject: ${flag.subject.kind} ${flag.subject.id}`,
      ...(flag.subject.commitmentIds.length === 0
        ? []
        : [`Compromisos / commitments: ${flag.subject.commitmentIds.join(', ')}`]),
      `Levantada / raised: ${flag.raisedAt}`,
      ...(flag.closedAt === null ? [] : [`Cerrada / closed: ${flag.closedAt}`]),
      `Posiciones en el log / log positions: ${flag.evidence.join(' ')}`,
      `Justificaciones / justifications: ${flag.justifications.length}`,
    ];
    atom.addItem({
      id: `urn:uuid:${nameBasedUuid(`${feed.origin}${RED_FLAGS_FEED_URL}#${flag.id}`)}`,
      title: html(`${flag.rule}: ${title.es} / ${title.en} (${flag.subject.id})`),
      link: commitment === undefined ? self : `${feed.base}${feedUrl('commitment', commitment)}`,
      date: new Date(changedAt(flag)),
      published: new Date(flag.raisedAt),
      description: lines.map(html).join('<br>'),
      category: [{ term: flag.rule }],
    });
  }
  return atom.atom1();
}
