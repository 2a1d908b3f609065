import { createHash } from 'node:crypto';

import { describe, expect, it } from '@jest/globals';

import {
  decideActionPlan,
  evolveActionPlan,
  initialActionPlanState,
  decide,
  evolve,
  initialState,
  type CommitmentEvent,
  type CommitmentState,
} from '../src/domain/index.js';
import {
  cartagena2023,
  cartagena2023History,
  cartagena2023Milestones,
  cartagena2023PlanHistory,
} from './cartagena-2023.js';
import { documents } from './cartagena-2023.documents.js';

/** Runs the demo as a command handler would: decide, give each event an id, evolve. */
function runDemo() {
  let state: CommitmentState = initialState;
  const events: CommitmentEvent[] = [];
  for (const step of cartagena2023History) {
    const decided = decide(step.command, state, { now: new Date(step.occurredAt) });
    decided.forEach((event, i) => {
      state = evolve(state, { ...event, id: `${step.commandId}-${i + 1}` });
    });
    events.push(...decided);
  }
  return { state, events };
}

function inProgress(state: CommitmentState) {
  if (state.status !== 'in_progress') throw new Error(`status is ${state.status}`);
  return state;
}

describe('the Cartagena 2023 demo', () => {
  it('runs every command without an error and ends in progress', () => {
    const { state, events } = runDemo();
    expect(state.status).toBe('in_progress');
    expect(events).toHaveLength(cartagena2023History.length + 1);
  });

  it('keeps the commitment as the seed states it', () => {
    const state = inProgress(runDemo().state);
    expect(state).toMatchObject({
      id: 'cartagena-cuenta-2023',
      code: 'CartagenaCuenta-2023',
      startDate: '2023-01-01',
      endDate: '2023-12-31',
      leadAgency: cartagena2023.leadAgency,
      stakeholders: ['Together for Transparency Program by USAID', 'FUNCICAR'],
      policyAreas: ['Right to Information', 'Civic Space'],
      publishedAt: '2023-01-16T14:00:00.000Z',
      startedAt: '2023-01-24T14:00:00.000Z',
    });
    expect(state.title).toContain('#CartagenaCuenta 2023');
    expect(state.ogpValues.map((v) => v.value)).toEqual(['transparency', 'public_accountability']);
  });

  it('ends with each milestone at the status and progress its reports say', () => {
    const state = inProgress(runDemo().state);
    expect(state.milestones.map((m) => [m.id, m.status, m.progress])).toEqual([
      ['m1', 'completed', 100],
      ['m2', 'completed', 100],
      ['m3', 'completed', 100],
      ['m4', 'completed', 100],
      ['m5', 'completed', 100],
      ['m6', 'in_progress', 70],
      ['m7', 'in_progress', 80],
    ]);
  });

  it('records milestone 3 as rescheduled once, to March, with its reason', () => {
    const { state, events } = runDemo();
    const m3 = inProgress(state).milestones.find((m) => m.id === 'm3');
    expect(m3).toMatchObject({ plannedStart: '2023-03', plannedEnd: '2023-03', reschedules: 1 });
    const reschedules = events.filter((e) => e.type === 'MilestoneRescheduled');
    expect(reschedules).toHaveLength(1);
    expect(reschedules[0].data).toMatchObject({
      milestoneId: 'm3',
      reason: expect.stringContaining('Comité Ciudadano de Lucha contra la Corrupción'),
    });
  });

  it('keeps the seed’s seven milestones and planned months', () => {
    const state = inProgress(runDemo().state);
    expect(state.milestones.map((m) => [m.title, m.plannedStart, m.plannedEnd])).toEqual([
      ['Design of the 2023 accountability strategy', '2023-01', '2023-01'],
      [cartagena2023Milestones[1].title, '2023-02', '2023-02'],
      ['Review and selection of prioritized topics', '2023-03', '2023-03'],
      [cartagena2023Milestones[3].title, '2023-02', '2023-03'],
      [cartagena2023Milestones[4].title, '2023-01', '2023-03'],
      [cartagena2023Milestones[5].title, '2023-05', '2023-12'],
      ['Implementation of the 2023 accountability strategy', '2023-02', '2023-12'],
    ]);
  });

  it('attaches the evidence documents by their hashes', () => {
    const state = inProgress(runDemo().state);
    const hashes = state.milestones.flatMap((m) => m.evidence.map((e) => e.sha256));
    expect(hashes.sort()).toEqual(
      Object.values(documents)
        .map((d) => d.sha256)
        .sort(),
    );
  });

  it.each(Object.entries(documents))('hashes %s as the SHA-256 of its content', (_name, doc) => {
    const sha256 = createHash('sha256').update(doc.content, 'utf8').digest('hex');
    expect(doc.sha256).toBe(sha256);
  });

  it('happens in 2023, in order, with a distinct command id per step', () => {
    const times = cartagena2023History.map((step) => step.occurredAt);
    expect(times.every((t) => t.startsWith('2023-'))).toBe(true);
    expect([...times].sort()).toEqual(times);
    const ids = new Set(cartagena2023History.map((step) => step.commandId));
    expect(ids.size).toBe(cartagena2023History.length);
  });

  it('produces only plain JSON, as the event store hashes it', () => {
    const { events } = runDemo();
    expect(JSON.parse(JSON.stringify(events))).toStrictEqual(events);
  });
});

describe("the Cartagena 2023 demo's action plan", () => {
  it('registers the plan the commitment names, in implementation, before the commitment', () => {
    let state = initialActionPlanState;
    for (const step of cartagena2023PlanHistory) {
      decideActionPlan(step.command, state, { now: new Date(step.occurredAt) }).forEach(
        (event, i) => {
          state = evolveActionPlan(state, { ...event, id: `${step.commandId}-${i + 1}` });
        },
      );
    }
    expect(state).toMatchObject({
      id: cartagena2023.actionPlanId,
      status: 'in_implementation',
      periodStart: '2023-01-01',
      periodEnd: '2023-12-31',
      ogpCycle: 'OGP Local 2022-2023',
    });
    const last = cartagena2023PlanHistory[cartagena2023PlanHistory.length - 1];
    expect(Date.parse(last.occurredAt)).toBeLessThan(
      Date.parse(cartagena2023History[0].occurredAt),
    );
    const ids = new Set(
      [...cartagena2023PlanHistory, ...cartagena2023History].map((step) => step.commandId),
    );
    expect(ids.size).toBe(cartagena2023PlanHistory.length + cartagena2023History.length);
  });
});
