import { CARTAGENA_2023_ID, cartagena2023, cartagena2023Milestones } from '#commitments';
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
 * Registers the Cartagena 2023 commitment, adds its milestones and publishes it (stream
 * versions 1 to 9), as a steward of its agency. Returns the events' global positions.
 * `as` registers it under another id and code, so one database can hold several.
 */
export async function recordCartagena(
  url: string,
  steward: Record<string, string>,
  as: { commitmentId: string; code: string } = {
    commitmentId: CARTAGENA_2023_ID,
    code: cartagena2023.code,
  },
): Promise<number[]> {
  const positions: number[] = [];
  const { ogpValues, ...template } = cartagena2023;
  const fields = { ...template, ...as };
  positions.push(
    ...(
      await command(url, steward, {
        name: 'registerCommitment',
        inputType: 'RegisterCommitmentInput',
        input: {
          ...fields,
          ogpValues: ogpValues?.map((v) => ({ ...v, value: v.value.toUpperCase() })),
        },
      })
    ).positions,
  );
  for (const milestone of cartagena2023Milestones) {
    positions.push(
      ...(
        await command(url, steward, {
          name: 'addMilestone',
          inputType: 'AddMilestoneInput',
          input: { commitmentId: as.commitmentId, ...milestone },
        })
      ).positions,
    );
  }
  positions.push(
    ...(
      await command(url, steward, {
        name: 'publishCommitment',
        inputType: 'PublishCommitmentInput',
        input: { commitmentId: as.commitmentId },
      })
    ).positions,
  );
  return positions;
}
