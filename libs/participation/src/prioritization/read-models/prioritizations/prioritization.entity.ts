import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';

/** bigint columns hold positions below 2^53; pg returns them as text. */
const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** One prioritization exercise as of the projection's checkpoint: for the list. */
@Entity({ name: 'prioritizations', schema: 'read' })
export class PrioritizationRow {
  @PrimaryColumn('text') id: string;
  @Column('text') title: string;
  @Column('text', { nullable: true }) description: string | null;
  @Column('text', { name: 'agency_id' }) agencyId: string;
  @Column('text', { name: 'commitment_id', nullable: true }) commitmentId: string | null;
  @Column('text', { name: 'milestone_id', nullable: true }) milestoneId: string | null;
  @Column('jsonb') topics: { id: string; title: string }[];
  @Column('timestamptz', { name: 'opens_at' }) opensAt: Date;
  @Column('timestamptz', { name: 'closes_at' }) closesAt: Date;
  @Column('text') method: string;
  /** open or closed. */
  @Column('text') status: string;
  /** Ballots cast, replacements included. */
  @Column('integer', { name: 'ballots_cast' }) ballotsCast: number;
  /** Participants with a ballot: the ballots that count. */
  @Column('integer') participants: number;
  /** The recorded result's standings, once closed. */
  @Column('jsonb', { nullable: true }) standings:
    { topicId: string; points: number; firstPlaces: number; rank: number }[] | null;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  /** Global position of the opening: the list's order, newest first. */
  @Column('bigint', { name: 'opened_position', transformer: bigintAsNumber })
  openedPosition: number;
  @Column('integer') version: number;
  @Column('bigint', { name: 'last_position', transformer: bigintAsNumber }) lastPosition: number;
}
