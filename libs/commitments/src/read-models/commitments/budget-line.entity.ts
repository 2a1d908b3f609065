import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from './commitment.entity.js';

/** A budget line's latest amount per phase, in whole COP. */
@Entity({ name: 'budget_lines', schema: 'read' })
export class BudgetLineRow {
  @PrimaryColumn('text', { name: 'commitment_id' }) commitmentId: string;
  @PrimaryColumn('text') id: string;
  @Column('integer') ordinal: number;
  @Column('text', { name: 'funding_source' }) fundingSource: string;
  @Column('text', { name: 'milestone_id', nullable: true }) milestoneId: string | null;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) proposed: number | null;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) approved: number | null;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) adjusted: number | null;
  @Column('bigint', { nullable: true, transformer: bigintAsNumber }) executed: number | null;
}
