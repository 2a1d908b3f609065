import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, localTokens } from '../support/access.js';
import { cartagenaRegistration, command } from '../support/cartagena.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, startServer, type ServerProcess } from '../support/server.js';

// Action plans and their roll-ups over HTTP, against the built server with the Cartagena demo
// loaded at start. Every roll-up is recomputed here by hand, from the inputs and weights the
// API publishes next to it, with the formula docs/open-data/action-plans.md writes down.

interface Input {
  id: string;
  weight: number;
  progress: number;
}
interface Rollup {
  value: number | null;
  formula: string;
  inputs: Input[];
  excluded: { id: string; reason: string }[];
}

/** The documented formula, by hand: Σ weight × progress / Σ weight, two decimals, halves up. */
function byHand(inputs: Input[]): number | null {
  if (inputs.length === 0) return null;
  const weights = inputs.reduce((sum, i) => sum + i.weight, 0);
  // In hundredths of a percent, as whole numbers, so that a half rounds up exactly.
  const sum = inputs.reduce((s, i) => s + i.weight * Math.round(i.progress * 100), 0);
  return Math.floor((2 * sum + weights) / (2 * weights)) / 100;
}

const ROLLUP = 'value formula inputs { id weight progress } excluded { id reason }';
const PLAN = `
  id registered title status jurisdiction periodStart periodEnd ogpCycle version
  commitmentWeights { commitmentId weight }
  progress { ${ROLLUP} }
  commitments(first: 100) {
    totalCount
    edges { node { id status actionPlan { id } progress { ${ROLLUP} } milestones { id weight } } }
  }`;

interface PlanAnswer {
  id: string;
  registered: boolean;
  title: string;
  status: string;
  version: number;
  progress: Rollup;
  commitmentWeights: { commitmentId: string; weight: number }[];
  commitments: {
    totalCount: number;
    edges: {
      node: {
        id: string;
        status: string;
        actionPlan: { id: string };
        progress: Rollup;
        milestones: { id: string; weight: number }[];
      };
    }[];
  };
}

/** Checks both levels of a plan's roll-up by hand from what the API published. */
function recomputeByHand(plan: PlanAnswer): void {
  for (const { node } of plan.commitments.edges) {
    expect(node.actionPlan.id).toBe(plan.id);
    expect(node.progress.value).toBe(byHand(node.progress.inputs));
    // The weights published with the inputs are the milestones' own.
    for (const input of node.progress.inputs) {
      expect(input.weight).toBe(node.milestones.find((m) => m.id === input.id)?.weight);
    }
  }
  expect(plan.progress.value).toBe(byHand(plan.progress.inputs));
  // The plan's inputs are its commitments' published values, weighed as the plan publishes.
  for (const input of plan.progress.inputs) {
    const commitment = plan.commitments.edges.find((e) => e.node.id === input.id)?.node;
    expect(input.progress).toBe(commitment?.progress.value);
    const set = plan.commitmentWeights.find((w) => w.commitmentId === input.id);
    expect(input.weight).toBe(set?.weight ?? 1);
  }
}

describe('action plans over GraphQL', () => {
  let database: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let admin: Record<string, string>;
  let steward: Record<string, string>;

  const planQuery = async (id: string): Promise<PlanAnswer | null> => {
    const { body } = await graphql(server.url, `{ actionPlan(id: "${id}") { ${PLAN} } }`);
    expect(body.errors).toBeUndefined();
    return (body.data?.actionPlan ?? null) as PlanAnswer | null;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'cuenta-plans-e2e-'));
    server = await startServer({
      DATABASE_URL: database.url,
      CUENTA_DATA_DIR: dataDir,
      CUENTA_DEMO: 'on',
    });
    const tokens = await localTokens(dataDir);
    admin = bearer(await tokens.mint({ role: 'administrator' }));
    steward = bearer(await tokens.mint({ role: 'steward', agencies: ['alcaldia-cartagena'] }));
    const deadline = Date.now() + 20_000;
    for (;;) {
      const plan = await planQuery('cartagena-2023');
      if (plan?.registered && plan.progress.value === 92.86) break;
      if (Date.now() > deadline) throw new Error('the demo did not show in time');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("serves the demo's plan with its commitment, and its roll-up reproduced by hand", async () => {
    const plan = await planQuery('cartagena-2023');
    expect(plan).toMatchObject({
      registered: true,
      status: 'IN_IMPLEMENTATION',
      ogpCycle: 'OGP Local 2022-2023',
      commitments: { totalCount: 1 },
    });
    recomputeByHand(plan as PlanAnswer);
    // The worked example of docs/open-data/action-plans.md.
    expect(plan?.commitments.edges[0].node.progress.inputs.map((i) => i.progress)).toEqual([
      100, 100, 100, 100, 100, 70, 80,
    ]);
    expect(plan?.progress).toMatchObject({
      value: 92.86,
      inputs: [{ id: 'cartagena-cuenta-2023', weight: 1, progress: 92.86 }],
      excluded: [],
    });
    expect(plan?.progress.formula).toContain('sum(weight * progress) / sum(weight)');

    const { body } = await graphql(
      server.url,
      '{ actionPlans { totalCount edges { node { id } } } }',
    );
    expect(body.data?.actionPlans).toEqual({
      totalCount: 1,
      edges: [{ node: { id: 'cartagena-2023' } }],
    });
  });

  it('shows a plan only commitments name, derived; registering it fills it in', async () => {
    const ids = ['plan-a', 'plan-b'];
    for (const [i, commitmentId] of ids.entries()) {
      await command(server.url, admin, {
        name: 'registerCommitment',
        inputType: 'RegisterCommitmentInput',
        input: {
          ...cartagenaRegistration({ commitmentId, code: `CTG-Plan-${i}` }),
          actionPlanId: 'plan-2024',
        },
      });
      for (const [k, percent] of [
        [1, 60],
        [2, 30],
        [3, 0],
      ] as const) {
        await command(server.url, admin, {
          name: 'addMilestone',
          inputType: 'AddMilestoneInput',
          input: {
            commitmentId,
            milestoneId: `m${k}`,
            title: `Hito ${k}`,
            responsibleOffice: 'Secretaría de Planeación',
            plannedStart: '2023-02',
            plannedEnd: '2023-06',
          },
        });
        if (k === 3) continue;
        if (k === 1) {
          await command(server.url, admin, {
            name: 'publishCommitment',
            inputType: 'PublishCommitmentInput',
            input: { commitmentId },
          });
        }
        await command(server.url, admin, {
          name: 'reportProgress',
          inputType: 'ReportProgressInput',
          input: { commitmentId, milestoneId: `m${k}`, percent: percent + i * 10 },
        });
      }
    }
    const derived = await planQuery('plan-2024');
    expect(derived).toMatchObject({
      registered: false,
      status: 'NOT_REGISTERED',
      title: 'plan-2024',
      version: 0,
      commitments: { totalCount: 2 },
    });
    recomputeByHand(derived as PlanAnswer);

    await command(server.url, admin, {
      name: 'registerActionPlan',
      inputType: 'RegisterActionPlanInput',
      input: {
        actionPlanId: 'plan-2024',
        jurisdiction: 'Distrito de Cartagena de Indias',
        title: 'Plan de acción 2024',
        periodStart: '2024-01-01',
        periodEnd: '2025-12-31',
        ogpCycle: 'OGP Local 2024-2025',
        status: 'IN_IMPLEMENTATION',
      },
    });
    const registered = await planQuery('plan-2024');
    expect(registered).toMatchObject({
      registered: true,
      title: 'Plan de acción 2024',
      status: 'IN_IMPLEMENTATION',
      version: 1,
      commitments: { totalCount: 2 },
    });
    expect(registered?.progress).toEqual(derived?.progress);
  });

  it('weighs milestones (a steward) and commitments (an administrator), each with a reason, and the roll-up is still reproduced by hand', async () => {
    await command(server.url, steward, {
      name: 'setMilestoneWeights',
      inputType: 'SetMilestoneWeightsInput',
      input: {
        commitmentId: 'plan-a',
        weights: [{ milestoneId: 'm3', weight: 2 }],
        reason: 'El hito 3 es la mitad del trabajo',
      },
    });
    await command(server.url, admin, {
      name: 'setCommitmentWeights',
      inputType: 'SetCommitmentWeightsInput',
      input: {
        actionPlanId: 'plan-2024',
        weights: [{ commitmentId: 'plan-b', weight: 3 }],
        reason: 'El compromiso B tiene el mayor presupuesto',
      },
    });
    const plan = (await planQuery('plan-2024')) as PlanAnswer;
    recomputeByHand(plan);
    // plan-a: (60 + 30 + 2 × 0) / 4 = 22.5; plan-b: (70 + 40 + 0) / 3 = 36.67;
    // the plan: (22.5 + 3 × 36.67) / 4 = 33.1275, so 33.13.
    expect(plan.progress).toMatchObject({
      value: 33.13,
      inputs: [
        { id: 'plan-a', weight: 1, progress: 22.5 },
        { id: 'plan-b', weight: 3, progress: 36.67 },
      ],
    });
    expect(plan.commitmentWeights).toEqual([{ commitmentId: 'plan-b', weight: 3 }]);

    // Both weightings are events with their reasons, in the plan's and the commitment's history.
    const { body } = await graphql(
      server.url,
      `
        {
          actionPlan(id: "plan-2024") {
            history {
              totalCount
              edges {
                node {
                  type
                  reason
                  actor {
                    role
                  }
                  changes {
                    path
                    before
                    after
                  }
                }
              }
            }
          }
          commitment(id: "plan-a") {
            history(first: 1) {
              edges {
                node {
                  type
                  reason
                  changes {
                    path
                    before
                    after
                  }
                }
              }
            }
          }
        }
      `,
    );
    expect(body.data?.actionPlan.history).toEqual({
      totalCount: 2,
      edges: [
        {
          node: {
            type: 'CommitmentWeightsSet',
            reason: 'El compromiso B tiene el mayor presupuesto',
            actor: { role: 'administrator' },
            changes: [{ path: '/commitmentWeights/plan-b', before: null, after: 3 }],
          },
        },
        expect.objectContaining({
          node: expect.objectContaining({ type: 'ActionPlanRegistered', reason: null }),
        }),
      ],
    });
    expect(body.data?.commitment.history.edges[0].node).toEqual({
      type: 'MilestoneWeightsSet',
      reason: 'El hito 3 es la mitad del trabajo',
      changes: [{ path: '/milestones/m3/weight', before: null, after: 2 }],
    });
  });

  it('refuses bad input naming the field, and records nothing', async () => {
    const before = await planQuery('plan-2024');
    const { body } = await graphql(
      server.url,
      `
        mutation {
          setCommitmentWeights(
            input: {
              actionPlanId: "plan-2024"
              weights: [{ commitmentId: "plan-a", weight: 0 }]
              reason: "r"
            }
          ) {
            streamVersion
          }
        }
      `,
      {},
      admin,
    );
    expect(body.errors?.[0]?.extensions).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'weights.0.weight',
    });
    const moved = await graphql(
      server.url,
      `
        mutation {
          reviseActionPlan(
            input: { actionPlanId: "plan-2024", changes: { status: DRAFT }, reason: "r" }
          ) {
            streamVersion
          }
        }
      `,
      {},
      admin,
    );
    expect(moved.body.errors?.[0]?.extensions).toMatchObject({
      code: 'ACTION_PLAN_STATUS_REFUSED',
      from: 'in_implementation',
      to: 'draft',
    });
    const refused = await graphql(
      server.url,
      `
        mutation {
          registerActionPlan(
            input: {
              actionPlanId: "plan-2024"
              jurisdiction: "j"
              title: "t"
              periodStart: "2024-01-01"
              periodEnd: "2024-12-31"
              ogpCycle: "c"
            }
          ) {
            streamVersion
          }
        }
      `,
      {},
      steward,
    );
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(await planQuery('plan-2024')).toEqual(before);
  });
});
