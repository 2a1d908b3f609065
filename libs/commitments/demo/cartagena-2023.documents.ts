/**
 * Made-up evidence documents for the Cartagena demo. Each says it is a demonstration, and its
 * `sha256` is the SHA-256 of `content` as UTF-8 (checked by a test), so a reader of the demo
 * can verify that the hash in the log matches the document.
 */
export interface DemoDocument {
  fileName: string;
  mediaType: string;
  description: string;
  content: string;
  sha256: string;
}

const NOTICE = 'Documento de demostración generado para Cuenta; no es un documento oficial.';

const doc = (d: Omit<DemoDocument, 'content'> & { lines: string[] }): DemoDocument => ({
  fileName: d.fileName,
  mediaType: d.mediaType,
  description: d.description,
  content: [...d.lines, '', NOTICE, ''].join('\n'),
  sha256: d.sha256,
});

export const documents = {
  committeeMinutesJanuary: doc({
    fileName: 'acta-comite-interno-rendicion-de-cuentas-2023-01-27.txt',
    mediaType: 'text/plain',
    description: 'Acta de la primera reunión del comité interno de rendición de cuentas',
    sha256: '5d53ccf4199f3490befdc730a4fd35c5fa06776016eb34deb1b7a2423bb8701d',
    lines: [
      'Acta de reunión - Comité interno de rendición de cuentas',
      'Fecha: 27 de enero de 2023',
      'Asistentes: Secretaría de Planeación, Secretaría de Participación y Desarrollo Social,',
      'Oficina Asesora de Comunicaciones, Escuela de Gobierno y Liderazgo.',
      'Temas: cronograma de la estrategia #CartagenaCuenta 2023; metodología de priorización.',
      'Compromisos: publicar la consulta de priorización en febrero.',
    ],
  }),
  strategy: doc({
    fileName: 'estrategia-rendicion-de-cuentas-cartagenacuenta-2023.md',
    mediaType: 'text/markdown',
    description: 'Documento de la estrategia de rendición de cuentas #CartagenaCuenta 2023',
    sha256: '598bf41b359df3fe2c59dd0f002d9153179a60ea4aec79ef20d14fa1afd9ce3e',
    lines: [
      '# Estrategia de rendición de cuentas #CartagenaCuenta 2023',
      '',
      '1. Enfoque territorial, de inclusión social y de diálogo permanente.',
      '2. Énfasis en planeación y finanzas públicas.',
      '3. Canales: espacios presenciales en las localidades, redes sociales y sesiones virtuales.',
      '4. Seguimiento y evaluación ciudadana de cada espacio de diálogo.',
    ],
  }),
  prioritizationResults: doc({
    fileName: 'resultados-consulta-priorizacion-temas-2023.csv',
    mediaType: 'text/csv',
    description: 'Resultados consolidados de la consulta ciudadana de priorización de temas',
    sha256: '27ccd491935075ac3ccfe610fa50839b919cbc77faba46df1f11def84647ca96',
    lines: [
      'tema,votos',
      'Inversión pública por localidad,412',
      'Ejecución presupuestal del Plan de Desarrollo,367',
      'Movilidad y obras,298',
      'Programas sociales,251',
    ],
  }),
  topicSelectionMinutes: doc({
    fileName: 'acta-seleccion-temas-priorizados-2023-03-16.txt',
    mediaType: 'text/plain',
    description: 'Acta de la revisión y selección de los temas priorizados',
    sha256: '5e718a4a3e950986960ae414d1262905612823510e134f6bef3074f61fe97b23',
    lines: [
      'Acta de revisión y selección de temas priorizados',
      'Fecha: 16 de marzo de 2023',
      'Con base en los resultados de la consulta, se seleccionan los temas de inversión pública',
      'por localidad y de ejecución presupuestal para los espacios de rendición de cuentas.',
    ],
  }),
  socializationReport: doc({
    fileName: 'informe-socializacion-estrategia-2023.txt',
    mediaType: 'text/plain',
    description:
      'Informe de la socialización de la estrategia con actores de gobierno y sociedad civil',
    sha256: '8244b9c47ff0c7267be98deb3f0e739838dc827a5d3812eb34c020c7a11ee523',
    lines: [
      'Informe de socialización de la estrategia #CartagenaCuenta 2023',
      'Periodo: febrero y marzo de 2023',
      'Se presentó la estrategia a las dependencias del Distrito, a las juntas administradoras',
      'locales y a organizaciones de la sociedad civil.',
    ],
  }),
  committeeMinutesMarch: doc({
    fileName: 'acta-comite-interno-rendicion-de-cuentas-2023-03-30.txt',
    mediaType: 'text/plain',
    description: 'Acta de la reunión del comité interno que definió los compromisos',
    sha256: '0cde617dee584ad491e60fd5165512d821d85f115c9e1493bdd2611a10aeee55',
    lines: [
      'Acta de reunión - Comité interno de rendición de cuentas',
      'Fecha: 30 de marzo de 2023',
      'Se definen los compromisos de la estrategia y sus responsables por dependencia.',
    ],
  }),
  implementationReportQ1: doc({
    fileName: 'informe-implementacion-estrategia-2023-t1.txt',
    mediaType: 'text/plain',
    description: 'Informe de avance de la implementación de la estrategia, primer trimestre',
    sha256: '3cd436f7ed3004379e0c99b0890db94f294ffdbb1dd93ff1200ffe90f253a829',
    lines: [
      'Informe de avance - Implementación de la estrategia de rendición de cuentas 2023',
      'Corte: 28 de abril de 2023',
      'Publicación de informes de gestión en lenguaje ciudadano y apertura de canales digitales.',
    ],
  }),
  dialogueReportJune: doc({
    fileName: 'relatoria-espacio-dialogo-2023-06.txt',
    mediaType: 'text/plain',
    description: 'Relatoría del espacio de evaluación y retroalimentación de junio',
    sha256: 'bd58fced79b308d92080b841e73500bf4070820cb0fe0980768506a8bcde96ca',
    lines: [
      'Relatoría - Espacio de evaluación y retroalimentación ciudadana',
      'Fecha: junio de 2023',
      'Participantes de las tres localidades evaluaron los espacios de rendición de cuentas.',
    ],
  }),
  implementationReportQ3: doc({
    fileName: 'informe-implementacion-estrategia-2023-t3.txt',
    mediaType: 'text/plain',
    description: 'Informe de avance de la implementación de la estrategia, tercer trimestre',
    sha256: 'bad474b15a89a8788634bdf071a35a09a7de264e33812dab7682471da28629a7',
    lines: [
      'Informe de avance - Implementación de la estrategia de rendición de cuentas 2023',
      'Corte: 31 de octubre de 2023',
      'Audiencia pública de rendición de cuentas realizada; plan de mejoramiento en curso.',
    ],
  }),
  citizenEvaluationReport: doc({
    fileName: 'informe-evaluacion-ciudadana-2023-11.txt',
    mediaType: 'text/plain',
    description: 'Informe de la evaluación ciudadana de los espacios de rendición de cuentas',
    sha256: '0c6682b97e138ccb3ba23d1fe65a1e5f75831dd08bd859dca7ff2c9809e463bd',
    lines: [
      'Informe de evaluación ciudadana de la rendición de cuentas 2023',
      'Corte: 30 de noviembre de 2023',
      'Resultados de las encuestas de evaluación aplicadas al cierre de cada espacio de diálogo.',
    ],
  }),
} satisfies Record<string, DemoDocument>;
