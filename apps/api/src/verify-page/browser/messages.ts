import type { Failure, Finding } from './verdict.js';

export type Language = 'es' | 'en';
export const LANGUAGES: readonly Language[] = ['es', 'en'];

/** The page's fixed text, by element: the server renders it in Spanish, the switch redraws it. */
export const LABELS = {
  title: { es: 'Verificar un evento de Cuenta', en: 'Verify a Cuenta event' },
  intro: {
    es: 'Esta página comprueba en su navegador, sin enviar nada a nadie, que un evento está en el registro público de Cuenta: la prueba de inclusión, la firma del registro y las cofirmas de testigos.',
    en: 'This page checks in your browser, sending nothing to anyone, that an event is in Cuenta’s public log: the inclusion proof, the log’s signature and the witnesses’ cosignatures.',
  },
  'pick-heading': { es: 'Elegir un evento por posición', en: 'Pick an event by position' },
  'pick-help': {
    es: 'Trae el evento y su prueba de este servidor. La verificación se hace igual en su navegador.',
    en: 'Fetches the event and its proof from this server. The check is still made in your browser.',
  },
  'position-label': { es: 'Posición', en: 'Position' },
  fetch: { es: 'Traer', en: 'Fetch' },
  'proof-label': {
    es: 'Prueba (archivo .tlog-proof): péguela o suelte el archivo aquí',
    en: 'Proof (.tlog-proof file): paste it or drop the file here',
  },
  'event-label': {
    es: 'Evento: su JSON canónico (campo "canonical"); péguelo o suelte el archivo aquí',
    en: 'Event: its canonical JSON (the "canonical" field); paste it or drop the file here',
  },
  'key-label': { es: 'Clave del registro (fijada)', en: 'Log key (pinned)' },
  'key-help': {
    es: 'La clave de verificación de este servidor aparece abajo. Compárela con la que publica la entidad; puede fijar otra.',
    en: 'This server’s verifier key is shown below. Compare it with the one the agency publishes; you may pin another.',
  },
  'server-key-label': { es: 'Clave que anuncia este servidor:', en: 'Key this server announces:' },
  pin: { es: 'Fijar esta clave', en: 'Pin this key' },
  'use-server-key': { es: 'Usar la del servidor', en: 'Use the server’s' },
  'witnesses-label': {
    es: 'Claves de testigos (una por línea, opcional)',
    en: 'Witness keys (one per line, optional)',
  },
  verify: { es: 'Verificar', en: 'Verify' },
  'result-heading': { es: 'Resultado', en: 'Result' },
  'proven-heading': { es: 'Qué quedó probado', en: 'What was proven' },
  'not-proven-heading': { es: 'Qué no quedó probado', en: 'What was not proven' },
  'failures-heading': { es: 'Qué falló', en: 'What failed' },
} as const satisfies Record<string, Record<Language, string>>;

export type LabelId = keyof typeof LABELS;

/** Words for the page's state lines: the verdict's headline and fetching. */
export const STATUS = {
  verified: { es: 'VERIFICADO', en: 'VERIFIED' },
  failed: { es: 'NO VERIFICADO', en: 'NOT VERIFIED' },
  fetching: { es: 'Trayendo el evento y su prueba…', en: 'Fetching the event and its proof…' },
  'fetch-failed': { es: 'No se pudo traer: ', en: 'Could not fetch: ' },
  'key-pinned': { es: 'Clave fijada en este navegador.', en: 'Key pinned in this browser.' },
  'key-differs': {
    es: 'Atención: la clave fijada no es la que anuncia este servidor.',
    en: 'Warning: the pinned key is not the one this server announces.',
  },
} as const satisfies Record<string, Record<Language, string>>;

/** One finding in plain words. */
export function describeFinding(finding: Finding, language: Language): string {
  const es = language === 'es';
  switch (finding.key) {
    case 'included':
      return es
        ? `El evento (hash de hoja ${finding.leaf}) está en la posición ${finding.index} del registro de tamaño ${finding.size}, cuya raíz es ${finding.root}.`
        : `The event (leaf hash ${finding.leaf}) is at position ${finding.index} of the log of size ${finding.size}, whose root is ${finding.root}.`;
    case 'signed-by-log':
      return es
        ? `Ese estado del registro "${finding.origin}" está firmado por la clave ${finding.logKey}.`
        : `That state of the log "${finding.origin}" is signed by the key ${finding.logKey}.`;
    case 'cosigned':
      return es
        ? `El testigo ${finding.witness} lo cofirmó (${finding.time}).`
        : `The witness ${finding.witness} cosigned it (${finding.time}).`;
    case 'no-key-for-signature':
      return es
        ? `La firma de ${finding.signer} no se comprobó: no se dio su clave.`
        : `The signature of ${finding.signer} was not checked: no key given.`;
    case 'witness-did-not-cosign':
      return es
        ? `El testigo ${finding.witness} no cofirmó este estado del registro: la prueba no trae su cofirma.`
        : `The witness ${finding.witness} did not cosign this state of the log: the proof carries no cosignature from it.`;
    case 'event-canonicalized':
      return es
        ? 'El texto del evento no estaba en forma canónica (RFC 8785): se verificó su forma canónica, que tiene el mismo contenido.'
        : 'The event text was not in canonical form (RFC 8785): its canonical form, with the same content, was verified.';
    case 'not-about-content':
      return es
        ? 'Esto prueba que el registro publicó este evento, no que lo que dice sea cierto; y que todos ven el mismo registro solo si lo cofirmaron testigos en quienes usted confía.'
        : 'This proves the log published this event, not that what it says is true; and that everyone sees the same log only if witnesses you trust cosigned it.';
  }
}

/** One failure in plain words, with the library's own reason where it helps. */
export function describeFailure(failure: Failure, language: Language): string {
  const es = language === 'es';
  switch (failure.key) {
    case 'bad-log-key':
      return es
        ? `La clave del registro no es válida: ${failure.detail}`
        : `The log key is not valid: ${failure.detail}`;
    case 'bad-witness-key':
      return es
        ? `La clave de testigo de la línea ${failure.line} no es válida: ${failure.detail}`
        : `The witness key on line ${failure.line} is not valid: ${failure.detail}`;
    case 'bad-proof':
      return es
        ? `La prueba no es un tlog-proof válido: ${failure.detail}`
        : `The proof is not a valid tlog-proof: ${failure.detail}`;
    case 'bad-event':
      return es
        ? `El evento no es JSON válido: ${failure.detail}`
        : `The event is not valid JSON: ${failure.detail}`;
    case 'not-signed-by-log':
      return es
        ? `El punto de control de la prueba no está firmado por la clave fijada ${failure.logKey} (${failure.detail}).`
        : `The proof’s checkpoint is not signed by the pinned key ${failure.logKey} (${failure.detail}).`;
    case 'bad-checkpoint':
      return es
        ? `El punto de control de la prueba no es válido: ${failure.detail}`
        : `The proof’s checkpoint is not valid: ${failure.detail}`;
    case 'bad-cosignature':
      return es
        ? `La cofirma del testigo ${failure.witness} es inválida.`
        : `The cosignature of the witness ${failure.witness} is invalid.`;
    case 'not-included':
      return es
        ? `Este evento no está en la posición ${failure.index} del registro de tamaño ${failure.size}: la prueba no lleva a la raíz firmada (${failure.detail}).`
        : `This event is not at position ${failure.index} of the log of size ${failure.size}: the proof does not lead to the signed root (${failure.detail}).`;
  }
}
