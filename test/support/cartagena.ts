import {
  CARTAGENA_2023_ID,
  cartagena2023,
  cartagena2023Milestones,
} from '../../libs/commitments/demo/index.js';
import { graphql } from './server.js';

/** Runs one commitment command as `headers`' caller; throws on any GraphQL error. */
export async function command(
  url: string,
  headers: Record<string, string>,
  request: { name: string; inputType: string; input: object },
): Promise<{ streamVersion: number; positions: number[] }> {
  const { body } = await graphql(
    url,
    `mutation ($input: ${request.inputType}!) { ${request.name}(input: $input) { streamVersion positions } }`,
    { input: request.input },
    headers,
  );
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data?.[request.name] as { streamVersion: number; positions: number[] };
}

/**
 * Which copy of the Cartagena commitment: by default the demo's id and code. Another id and
 * code let one database hold several.
 */
export interface CartagenaCopy {
  commitmentId?: string;
  code?: string;
  /** Business time of the registration and of its milestones (default: now). */
  occurredAt?: string;
}

/** The Cartagena registration as the API's RegisterCommitmentInput takes it (enums in upper case). */
export function cartagenaRegistration(copy: CartagenaCopy = {}) {
  const { ogpValues, ...template } = cartagena2023;
  return {
    ...template,
    commitmentId: copy.commitmentId ?? CARTAGENA_2023_ID,
    code: copy.code ?? cartagena2023.code,
    ogpValues: ogpValues?.map((v) => ({ ...v, value: v.value.toUpperCase() })),
    ...(copy.occurredAt === undefined ? {} : { occurredAt: copy.occurredAt }),
  };
}

/**
 * Registers the Cartagena 2023 commitment and adds its seven milestones (stream versions 1 to
 * 8), as a steward of its agency. Returns the events' global positions.
 */
export async function registerCartagena(
  url: string,
  steward: Record<string, string>,
  copy: CartagenaCopy = {},
): Promise<number[]> {
  const registration = cartagenaRegistration(copy);
  const { commitmentId } = registration;
  const when = copy.occurredAt === undefined ? {} : { occurredAt: copy.occurredAt };
  const positions = [
    ...(
      await command(url, steward, {
        name: 'registerCommitment',
        inputType: 'RegisterCommitmentInput',
        input: registration,
      })
    ).positions,
  ];
  for (const milestone of cartagena2023Milestones) {
    positions.push(
      ...(
        await command(url, steward, {
          name: 'addMilestone',
          inputType: 'AddMilestoneInput',
          input: { commitmentId, ...milestone, ...when },
        })
      ).positions,
    );
  }
  return positions;
}

/**
 * Registers the Cartagena 2023 commitment, adds its milestones and publishes it (stream
 * versions 1 to 9), as a steward of its agency; `publishedAt` is the publication's business
 * time (default: now). Returns the events' global positions.
 */
export async function recordCartagena(
  url: string,
  steward: Record<string, string>,
  copy: CartagenaCopy & { publishedAt?: string } = {},
): Promise<number[]> {
  const positions = await registerCartagena(url, steward, copy);
  const published = await command(url, steward, {
    name: 'publishCommitment',
    inputType: 'PublishCommitmentInput',
    input: {
      commitmentId: copy.commitmentId ?? CARTAGENA_2023_ID,
      ...(copy.publishedAt === undefined ? {} : { occurredAt: copy.publishedAt }),
    },
  });
  return [...positions, ...published.positions];
}
