import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A registered action plan, as its stream folds. Plans only named by commitments have no row. */
@Entity({ name: 'action_plans', schema: 'read' })
export class ActionPlanRow {
  @PrimaryColumn('text') id: string;
  @Column('text') jurisdiction: string;
  @Column('text') title: string;
  @Column('text', { name: 'period_start' }) periodStart: string;
  @Column('text', { name: 'period_end' }) periodEnd: string;
  @Column('text', { name: 'ogp_cycle' }) ogpCycle: string;
  @Column('text') status: string;
  @Column('timestamptz', { name: 'registered_at' }) registeredAt: Date;
  /** Roll-up weights set for its commitments, by commitment id (others weigh 1). */
  @Column('jsonb', { name: 'commitment_weights' }) commitmentWeights: Record<string, number>;
  /** The stream version the row shows. */
  @Column('integer') version: number;
  @Column('bigint', { name: 'last_position' }) lastPosition: string;
}
