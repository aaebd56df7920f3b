// Background jobs: one lease row per job (so N replicas never run one job at once) and the record of every run.
import { sql, type Kysely } from 'kysely';

// Migrations take Kysely<any> and never import app code: they must keep working after the app changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('job_leases')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'timestamptz')
    .addColumn('run_id', 'uuid')
    .addCheckConstraint('job_leases_held', sql`(holder is null) = (lease_until is null)`)
    .execute();
  await db.schema
    .createTable('job_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('job', 'text', (c) => c.notNull())
    // Null: every org (a scheduled run); set: a run an org's admin asked for, limited to that org.
    .addColumn('org_id', 'uuid', (c) => c.references('orgs.id'))
    .addColumn('trigger', 'text', (c) =>
      c.notNull().check(sql`trigger in ('schedule', 'manual', 'cli')`),
    )
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .addColumn('outcome', 'text', (c) =>
      c.notNull().check(sql`outcome in ('running', 'succeeded', 'failed')`),
    )
    .addColumn('counts', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('report', 'jsonb')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('job_runs_job_started_idx')
    .on('job_runs')
    .columns(['job', 'started_at desc'])
    .execute();
  await db.schema
    .createIndex('job_runs_started_idx')
    .on('job_runs')
    .columns(['started_at desc', 'id desc'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
  await db.schema.dropTable('job_leases').execute();
}
