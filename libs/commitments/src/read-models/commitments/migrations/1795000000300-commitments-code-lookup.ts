import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Codes are unique in any letter case (see commitment-codes.ts): look them up that way. */
export class CommitmentsCodeLookup1795000000300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query('CREATE INDEX commitments_code_lower_idx ON read.commitments (lower(code))');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX read.commitments_code_lower_idx');
  }
}
