import type { Knex } from 'knex';

/*
 * Paper petition sections: numbered sheets of one county, carried by one circulator, filed with the
 * county in filings. The database holds the rules two people could race past: numbers are handed
 * out from a counter on the petition row (so concurrent issues never share one), a signer's section
 * must be of the signer's county (the key includes the county), one line holds one signer (a unique
 * index), a county with sections stays on the petition, and a filed section belongs to its filing.
 * Counts of sections per (petition, county, status) are kept like the signers' tallies: triggers
 * append deltas, the rollup folds them, readers sum both.
 */
const statements = [
  'alter table petitions add column sections_issued integer not null default 0',
  `create table section_filings (
     id uuid not null default gen_random_uuid(),
     petition_id uuid not null references petitions (id) on delete cascade,
     county_fips char(5) not null,
     sections integer not null,
     lines integer not null,
     created_by uuid references users (id) on delete set null,
     created_at timestamptz not null default now(),
     primary key (petition_id, id),
     unique (id)
   )`,
  `create table sections (
     petition_id uuid not null,
     number integer not null,
     county_fips char(5) not null,
     status text not null default 'issued',
     circulator_id uuid references users (id),
     lines_counted integer,
     declaration_signed_at date,
     issued_at timestamptz not null default now(),
     returned_at timestamptz,
     filed_at timestamptz,
     filing_id uuid,
     reason text,
     updated_at timestamptz not null default now(),
     primary key (petition_id, number),
     unique (petition_id, number, county_fips),
     foreign key (petition_id, county_fips) references petition_counties (petition_id, fips),
     foreign key (petition_id, filing_id) references section_filings (petition_id, id),
     constraint sections_number_check check (number > 0),
     constraint sections_status_check
       check (status in ('issued', 'returned', 'counted', 'filed', 'lost', 'void')),
     constraint sections_lines_check check (lines_counted between 0 and 1000),
     constraint sections_counted_check
       check (status not in ('counted', 'filed') or (lines_counted is not null and declaration_signed_at is not null)),
     constraint sections_filed_check check ((status = 'filed') = (filing_id is not null)),
     constraint sections_reason_check check (status not in ('lost', 'void') or reason is not null)
   )`,
  'create index sections_by_circulator on sections (petition_id, circulator_id, number)',
  'create index sections_by_filing on sections (filing_id)',
  `create table section_scans (
     petition_id uuid not null,
     number integer not null,
     content_type text not null,
     bytes bytea not null,
     sha256 text not null,
     uploaded_by uuid references users (id) on delete set null,
     uploaded_at timestamptz not null default now(),
     primary key (petition_id, number),
     foreign key (petition_id, number) references sections (petition_id, number) on delete cascade
   )`,
  `alter table signatures
     add column section_number integer,
     add column line integer,
     add constraint signatures_line_check check (line between 1 and 1000),
     add constraint signatures_section_line_check check ((section_number is null) = (line is null)),
     add constraint signatures_section_foreign foreign key (petition_id, section_number, county_fips)
       references sections (petition_id, number, county_fips)`,
  `create unique index signatures_section_line_key on signatures (petition_id, section_number, line)
     where section_number is not null`,
  // A void section takes no signers; the same trigger that keeps closed petitions closed says so.
  `create or replace function signatures_petition_open() returns trigger language plpgsql as $$
   begin
     if exists (select 1 from petitions p
                 where p.id in (select distinct petition_id from new_rows)
                   and (p.status <> 'circulating' or p.purged_at is not null)) then
       raise exception 'the petition takes no signers' using errcode = 'PC409';
     end if;
     if exists (select 1 from new_rows n join sections s
                    on s.petition_id = n.petition_id and s.number = n.section_number
                 where n.section_number is not null and s.status = 'void') then
       raise exception 'a void section takes no signers' using errcode = 'PC410';
     end if;
     return null;
   end $$`,
  `create table section_deltas (
     petition_id uuid not null references petitions (id) on delete cascade,
     county_fips char(5) not null,
     status text not null,
     n integer not null,
     lines integer not null
   )`,
  'create index section_deltas_petition on section_deltas (petition_id)',
  `create table section_tallies (
     petition_id uuid not null references petitions (id) on delete cascade,
     county_fips char(5) not null,
     status text not null,
     n integer not null,
     lines integer not null,
     primary key (petition_id, county_fips, status)
   )`,
  `create function sections_tally() returns trigger language plpgsql as $$
   begin
     insert into section_deltas (petition_id, county_fips, status, n, lines)
     select petition_id, county_fips, status, sum(n)::int, sum(lines)::int
       from (select petition_id, county_fips, status, -1 as n, -coalesce(lines_counted, 0) as lines
               from old_rows
             union all
             select petition_id, county_fips, status, 1, coalesce(lines_counted, 0) from new_rows) d
      group by 1, 2, 3
     having sum(n) <> 0 or sum(lines) <> 0;
     return null;
   end $$`,
  `create function sections_tally_insert() returns trigger language plpgsql as $$
   begin
     insert into section_deltas (petition_id, county_fips, status, n, lines)
     select petition_id, county_fips, status, count(*)::int, sum(coalesce(lines_counted, 0))::int
       from new_rows group by 1, 2, 3;
     return null;
   end $$`,
  `create trigger sections_tally_insert after insert on sections
     referencing new table as new_rows for each statement execute function sections_tally_insert()`,
  `create trigger sections_tally_update after update on sections
     referencing old table as old_rows new table as new_rows for each statement execute function sections_tally()`,
  // Every change of a section is audited, whoever makes it; the actor comes from app.actor_id.
  `create function sections_audit() returns trigger language plpgsql as $$
   begin
     insert into audit_log (actor_id, action, petition_id, detail)
     select nullif(current_setting('app.actor_id', true), '')::uuid, 'section.changed', n.petition_id,
            jsonb_build_object('number', n.number, 'from', o.status, 'to', n.status,
                               'circulatorId', n.circulator_id, 'linesCounted', n.lines_counted,
                               'reason', n.reason, 'filingId', n.filing_id)
              || coalesce(nullif(current_setting('app.audit_context', true), '')::jsonb, '{}'::jsonb)
       from old_rows o join new_rows n on n.petition_id = o.petition_id and n.number = o.number
      where row(o.status, o.circulator_id, o.lines_counted, o.declaration_signed_at, o.reason, o.filing_id)
            is distinct from
            row(n.status, n.circulator_id, n.lines_counted, n.declaration_signed_at, n.reason, n.filing_id);
     return null;
   end $$`,
  `create trigger sections_audit after update on sections
     referencing old table as old_rows new table as new_rows for each statement execute function sections_audit()`,
];

export async function up(knex: Knex): Promise<void> {
  for (const sql of statements) await knex.raw(sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const sql of [
    'drop trigger sections_audit on sections',
    'drop function sections_audit()',
    'drop trigger sections_tally_update on sections',
    'drop trigger sections_tally_insert on sections',
    'drop function sections_tally()',
    'drop function sections_tally_insert()',
    'drop table section_tallies',
    'drop table section_deltas',
    `create or replace function signatures_petition_open() returns trigger language plpgsql as $$
     begin
       if exists (select 1 from petitions p
                   where p.id in (select distinct petition_id from new_rows)
                     and (p.status <> 'circulating' or p.purged_at is not null)) then
         raise exception 'the petition takes no signers' using errcode = 'PC409';
       end if;
       return null;
     end $$`,
    'drop index signatures_section_line_key',
    `alter table signatures drop constraint signatures_section_foreign,
       drop constraint signatures_section_line_check, drop constraint signatures_line_check,
       drop column line, drop column section_number`,
    'drop table section_scans',
    'drop table sections',
    'drop table section_filings',
    'alter table petitions drop column sections_issued',
  ])
    await knex.raw(sql);
}
