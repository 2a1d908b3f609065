import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Evidence reported with a milestone's progress or completion, oldest first. */
@Entity({ name: 'evidence', schema: 'read' })
export class EvidenceRow {
  @PrimaryColumn('text', { name: 'commitment_id' }) commitmentId: string;
  @PrimaryColumn('text', { name: 'milestone_id' }) milestoneId: string;
  @PrimaryColumn('integer') ordinal: number;
  @Column('text') kind: string;
  @Column('text', { nullable: true }) url: string | null;
  @Column('text', { name: 'file_name', nullable: true }) fileName: string | null;
  @Column('text') sha256: string;
  @Column('text', { name: 'media_type' }) mediaType: string;
  @Column('text') description: string;
  @Column('timestamptz', { name: 'reported_at' }) reportedAt: Date;
}
