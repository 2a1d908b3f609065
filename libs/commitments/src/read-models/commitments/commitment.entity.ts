import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint columns hold positions and pesos below 2^53; pg returns them as text. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One commitment as of the projection's checkpoint: the OGP template fields, its lifecycle
 * dates, and what the list filters need (flattened territories, OGP values, search text).
 */
@Entity({ name: 'commitments', schema: 'read' })
export class CommitmentRow {
  @PrimaryColumn('text') id: string;
  @Column('text') code: string;
  @Column('text') title: string;
  @Column('text', { name: 'action_plan_id' }) actionPlanId: string;
  @Column('text') status: string;
  @Column('date', { name: 'start_date' }) startDate: string;
  @Column('date', { name: 'end_date' }) endDate: string;
  /** The lead agency's id, which stewards' tokens name. */
  @Column('text', { name: 'lead_agency_id' }) leadAgencyId: string;
  /** The lead agency's name. */
  @Column('text', { name: 'lead_agency' }) leadAgency: string;
  @Column('text', { name: 'lead_offices', array: true }) leadOffices: string[];
  @Column('text', { array: true }) stakeholders: string[];
  @Column('text', { nullable: true }) problem: string | null;
  @Column('text', { name: 'status_quo', nullable: true }) statusQuo: string | null;
  @Column('text', { nullable: true }) action: string | null;
  @Column('text', { nullable: true }) contribution: string | null;
  @Column('text', { name: 'long_term_goal', nullable: true }) longTermGoal: string | null;
  @Column('text', { name: 'policy_areas', array: true }) policyAreas: string[];
  /** The values alone, for the filter; `ogpValueEntries` keeps each value's relevance. */
  @Column('text', { name: 'ogp_values', array: true }) ogpValues: string[];
  @Column('jsonb', { name: 'ogp_value_entries' }) ogpValueEntries: {
    value: string;
    relevance?: string;
  }[];
  @Column('text', { nullable: true }) resources: string | null;
  @Column('text', { array: true }) localidades: string[];
  @Column('text', { array: true }) comunas: string[];
  @Column('text', { array: true }) corregimientos: string[];
  /** Every territorial unit named, for the territory filter. */
  @Column('text', { array: true }) territories: string[];
  @Column('text', { name: 'inclusion_groups', array: true }) inclusionGroups: string[];
  /** Business time of the registration: the caller's, who may backdate it. */
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
  /** Global position of the registration: when the log recorded it. */
  @Column('bigint', { name: 'registered_position', transformer: bigintAsNumber })
  registeredPosition: number;
  @Column('timestamptz', { name: 'published_at', nullable: true }) publishedAt: Date | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('timestamptz', { name: 'withdrawn_at', nullable: true }) withdrawnAt: Date | null;
  @Column('text', { name: 'withdrawal_reason', nullable: true }) withdrawalReason: string | null;
  @Column('integer', { name: 'corrections' }) corrections: number;
  /** The stream version the row shows. */
  @Column('integer') version: number;
  @Column('bigint', { name: 'last_position', transformer: bigintAsNumber }) lastPosition: number;
  /** Business time of the last change. */
  @Column('timestamptz', { name: 'last_changed_at' }) lastChangedAt: Date;
  /**
   * Lower-case, accent-free text of the code, title and narrative fields, for the list's
   * text filter in SQL. Never read back (`select: false`): it is about as long as all the
   * other columns together, and no answer shows it.
   */
  @Column('text', { select: false }) search?: string;
}
