import type { Migration } from '@haitang/event-store';

/** Text in byte order ("C" collation), as SQLite compares: the same ORDER BY everywhere, and the fastest B-trees. */
const T = 'text COLLATE "C"';

/**
 * The read models' tables on PostgreSQL: the same tables, columns (in the same
 * order), keys and indexes as the SQLite projections create, so that the
 * queries are the same SQL for both. Positions are bigint.
 */
export const READ_STORE_TABLES = `
  CREATE TABLE checkpoints (projection ${T} PRIMARY KEY, version integer NOT NULL, position bigint NOT NULL);

  CREATE TABLE volunteers (
    volunteer_id ${T} PRIMARY KEY, display_name ${T} NOT NULL, home_org_unit_id ${T} NOT NULL,
    party_member integer NOT NULL, senior integer NOT NULL, occupation ${T} NOT NULL,
    personal_data_erased integer NOT NULL DEFAULT 0, registered_at ${T} NOT NULL);
  CREATE INDEX volunteers_by_home ON volunteers (home_org_unit_id, registered_at);
  CREATE TABLE service_records (
    record_id ${T} PRIMARY KEY, volunteer_id ${T} NOT NULL, org_unit_id ${T} NOT NULL, category ${T} NOT NULL,
    service_date ${T} NOT NULL, minutes integer NOT NULL, status ${T} NOT NULL, source ${T} NOT NULL,
    activity_id ${T}, activity_title ${T}, location ${T}, description ${T} NOT NULL, recorded_position bigint NOT NULL);
  CREATE INDEX service_records_by_volunteer ON service_records (volunteer_id, service_date);
  CREATE INDEX service_records_by_unit ON service_records (org_unit_id, service_date, status, volunteer_id, category, minutes);
  CREATE INDEX service_records_by_activity_status ON service_records (activity_id, status, volunteer_id) WHERE activity_id IS NOT NULL;
  CREATE TABLE record_history (
    position bigint PRIMARY KEY, record_id ${T} NOT NULL, type ${T} NOT NULL, data ${T} NOT NULL, actor ${T} NOT NULL, recorded_at ${T} NOT NULL);
  CREATE INDEX record_history_by_record ON record_history (record_id, position);

  CREATE TABLE org_units (
    org_unit_id ${T} PRIMARY KEY, kind ${T} NOT NULL, name ${T} NOT NULL, parent_id ${T},
    depth integer NOT NULL, registered_at ${T} NOT NULL, registered_position bigint NOT NULL, name_position bigint NOT NULL);
  CREATE INDEX org_units_by_parent ON org_units (parent_id, registered_position);
  CREATE TABLE org_unit_closure (
    ancestor_id ${T} NOT NULL, descendant_id ${T} NOT NULL, depth integer NOT NULL, PRIMARY KEY (ancestor_id, descendant_id));
  CREATE INDEX org_unit_closure_by_descendant ON org_unit_closure (descendant_id, depth);

  CREATE TABLE activities (
    activity_id ${T} PRIMARY KEY, org_unit_id ${T} NOT NULL, title ${T} NOT NULL, category ${T} NOT NULL,
    location ${T} NOT NULL, starts_at ${T} NOT NULL, ends_at ${T} NOT NULL, start_date ${T} NOT NULL, end_date ${T} NOT NULL,
    capacity integer, description ${T}, person_in_charge ${T},
    status ${T} NOT NULL, cancel_reason ${T}, cancelled_at ${T}, completed_at ${T}, beneficiaries integer,
    planned_at ${T} NOT NULL, planned_position bigint NOT NULL, window_position bigint NOT NULL);
  CREATE INDEX activities_by_unit ON activities (org_unit_id, start_date);
  CREATE INDEX activities_by_start ON activities (start_date);
  CREATE TABLE activity_roster (
    activity_id ${T} NOT NULL, volunteer_id ${T} NOT NULL,
    enrolled integer NOT NULL, walk_in integer NOT NULL, enrolled_at ${T} NOT NULL, enrolled_position bigint NOT NULL,
    withdrawn_at ${T}, withdrawal_reason ${T}, checked_in_at ${T}, checked_out_at ${T},
    outcome ${T}, credited_minutes integer, last_position bigint NOT NULL,
    PRIMARY KEY (activity_id, volunteer_id));

  CREATE TABLE figure_changes (unit_id ${T} NOT NULL, month ${T} NOT NULL, position bigint NOT NULL, PRIMARY KEY (unit_id, month));
`;

/**
 * Schema v3: integer keys, as on SQLite (sqlite/keys.ts). Units, volunteers,
 * activities and records get small numbers in log order, which the tables
 * and indexes store instead of 36-character ids; a record's history and texts
 * are no longer copied (they are its stream in the log). The same tables,
 * columns (in the same order) and indexes as the SQLite projections of
 * version 2, so the queries are the same SQL. The tables of the projections
 * that changed are dropped and their checkpoints removed: the projector
 * projects them again from the log.
 */
const KEYED_TABLES = `
  CREATE TABLE unit_keys (unit_n integer PRIMARY KEY, org_unit_id ${T} NOT NULL UNIQUE);
  CREATE TABLE volunteer_keys (volunteer_n integer PRIMARY KEY, volunteer_id ${T} NOT NULL UNIQUE);

  CREATE TABLE volunteers (
    volunteer_n integer PRIMARY KEY, display_name ${T} NOT NULL, home_unit_n integer NOT NULL,
    party_member integer NOT NULL, senior integer NOT NULL, occupation ${T} NOT NULL,
    personal_data_erased integer NOT NULL DEFAULT 0, registered_at ${T} NOT NULL);
  CREATE INDEX volunteers_by_home ON volunteers (home_unit_n, registered_at);
  CREATE TABLE service_records (
    record_n integer PRIMARY KEY, record_id ${T} NOT NULL UNIQUE, volunteer_n integer NOT NULL, unit_n integer NOT NULL,
    category ${T} NOT NULL, service_date ${T} NOT NULL, minutes integer NOT NULL, status ${T} NOT NULL, source ${T} NOT NULL,
    activity_id ${T}, recorded_position bigint NOT NULL);
  CREATE INDEX service_records_by_volunteer ON service_records (volunteer_n, status, service_date, category, minutes);
  CREATE INDEX service_records_approved ON service_records (unit_n, service_date, volunteer_n, category, minutes) WHERE status = 'approved';
  CREATE INDEX service_records_pending ON service_records (unit_n, service_date, category, minutes) WHERE status = 'pending';
  CREATE INDEX service_records_by_unit ON service_records (unit_n, service_date);
  CREATE INDEX service_records_by_activity ON service_records (activity_id, status, volunteer_n, minutes) WHERE activity_id IS NOT NULL;

  CREATE TABLE org_units (
    unit_n integer PRIMARY KEY, kind ${T} NOT NULL, name ${T} NOT NULL, parent_n integer,
    depth integer NOT NULL, registered_at ${T} NOT NULL, registered_position bigint NOT NULL, name_position bigint NOT NULL);
  CREATE INDEX org_units_by_parent ON org_units (parent_n, registered_position);
  CREATE TABLE org_unit_closure (
    ancestor_n integer NOT NULL, descendant_n integer NOT NULL, depth integer NOT NULL, PRIMARY KEY (ancestor_n, descendant_n));
  CREATE INDEX org_unit_closure_by_descendant ON org_unit_closure (descendant_n, depth);

  CREATE TABLE activities (
    activity_n integer PRIMARY KEY, activity_id ${T} NOT NULL UNIQUE, unit_n integer NOT NULL, title ${T} NOT NULL, category ${T} NOT NULL,
    location ${T} NOT NULL, starts_at ${T} NOT NULL, ends_at ${T} NOT NULL, start_date ${T} NOT NULL, end_date ${T} NOT NULL,
    capacity integer, description ${T}, person_in_charge ${T},
    status ${T} NOT NULL, cancel_reason ${T}, cancelled_at ${T}, completed_at ${T}, beneficiaries integer,
    planned_at ${T} NOT NULL, planned_position bigint NOT NULL, window_position bigint NOT NULL);
  CREATE INDEX activities_by_unit ON activities (unit_n, start_date);
  CREATE INDEX activities_by_start ON activities (start_date);
  CREATE TABLE activity_roster (
    activity_n integer NOT NULL, volunteer_n integer NOT NULL,
    enrolled integer NOT NULL, walk_in integer NOT NULL, enrolled_at ${T} NOT NULL, enrolled_position bigint NOT NULL,
    withdrawn_at ${T}, withdrawal_reason ${T}, checked_in_at ${T}, checked_out_at ${T},
    outcome ${T}, credited_minutes integer, last_position bigint NOT NULL,
    PRIMARY KEY (activity_n, volunteer_n));
`;

/** The read-model tables, in the order a rebuild swaps them. */
export const READ_STORE_TABLE_NAMES = [
  'unit_keys', 'volunteer_keys', 'volunteers', 'service_records', 'org_units', 'org_unit_closure', 'activities', 'activity_roster', 'figure_changes',
  'stream_keys', 'actor_keys', 'event_types', 'stream_owners', 'audit_log',
] as const;

export const READ_STORE_MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'records, org units, activities and figure changes, with their checkpoints', sql: READ_STORE_TABLES },
  {
    version: 2,
    description: 'who owns each stream (access checks) and the audit index of the log',
    sql: `
      CREATE TABLE stream_owners (stream_id ${T} PRIMARY KEY, org_unit_id ${T}, volunteer_id ${T});
      CREATE TABLE audit_log (position bigint PRIMARY KEY, stream_id ${T} NOT NULL, type ${T} NOT NULL, actor_id ${T}, recorded_at ${T} NOT NULL);
      CREATE INDEX audit_by_stream ON audit_log (stream_id, position);
      CREATE INDEX audit_by_actor ON audit_log (actor_id, position);
    `,
  },
  {
    version: 3,
    description: 'integer keys for units, volunteers, activities and records; record history and texts read from the log (projected again)',
    sql: `
      DROP TABLE volunteers, service_records, record_history, org_units, org_unit_closure, activities, activity_roster;
      ${KEYED_TABLES}
      DELETE FROM figure_changes;
      DELETE FROM checkpoints WHERE projection IN ('records', 'org-units', 'activities', 'figure-changes');
    `,
  },
  {
    version: 4,
    description: 'the audit index and stream owners on integer keys (streams, actors, event types; projected again)',
    sql: `
      DROP TABLE stream_owners, audit_log;
      CREATE TABLE stream_keys (stream_n integer PRIMARY KEY, stream_id ${T} NOT NULL UNIQUE);
      CREATE TABLE actor_keys (actor_n integer PRIMARY KEY, actor_id ${T} NOT NULL UNIQUE);
      CREATE TABLE event_types (type_n integer PRIMARY KEY, type ${T} NOT NULL UNIQUE);
      CREATE TABLE stream_owners (stream_key integer PRIMARY KEY, unit_n integer, volunteer_n integer);
      CREATE TABLE audit_log (position bigint PRIMARY KEY, stream_key integer NOT NULL, type_n integer NOT NULL, actor_n integer, recorded_at ${T} NOT NULL);
      CREATE INDEX audit_by_stream ON audit_log (stream_key, position);
      CREATE INDEX audit_by_actor ON audit_log (actor_n, position);
      DELETE FROM checkpoints WHERE projection IN ('stream-owners', 'audit');
    `,
  },
  {
    version: 5,
    description: 'the audit index by kind of event (GET /audit?type=, e.g. a unit\'s certificates)',
    sql: 'CREATE INDEX audit_by_type ON audit_log (type_n, position);',
  },
];
