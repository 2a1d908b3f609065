import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'milestones', schema: 'read' })
export class MilestoneRow {
  @PrimaryColumn('text', { name: 'commitment_id' }) commitmentId: string;
  @PrimaryColumn('text') id: string;
  /** Order in which milestones were added. */
  @Column('integer') ordinal: number;
  @Column('text') title: string;
  @Column('text', { name: 'responsible_office' }) responsibleOffice: string;
  @Column('text', { name: 'planned_start' }) plannedStart: string;
  @Column('text', { name: 'planned_end' }) plannedEnd: string;
  @Column('text') status: string;
  @Column('integer') progress: number;
  @Column('integer') reschedules: number;
  /** Its roll-up weight once a steward set one; null weighs 1 (DEFAULT_WEIGHT). */
  @Column('integer', { nullable: true }) weight: number | null;
  @Column('timestamptz', { name: 'last_reported_at', nullable: true }) lastReportedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @Column('timestamptz', { name: 'cancelled_at', nullable: true }) cancelledAt: Date | null;
  @Column('text', { name: 'cancellation_reason', nullable: true })
  cancellationReason: string | null;
}
