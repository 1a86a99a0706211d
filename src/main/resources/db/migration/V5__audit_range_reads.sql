-- Coalesced range reads (docs/audit.md, "Coalescing range reads"). A media player seeking through a
-- recording sends many Range requests; the first one of a person on a material opens a window with an
-- ordinary chained material.content.read event, and every further range read in that window is recorded
-- here, durably and before it is served (fail-closed), then counted into ONE chained
-- material.content.range-reads summary event by the flush. Both tables are insert-only, like the log:
-- the service role needs only SELECT and INSERT on them.
create table audit_range_read (
    id               uuid          primary key,
    -- the chained material.content.read event that opened the window, and its occurred_at
    window_event_id  uuid          not null,
    window_start     timestamp with time zone not null,
    occurred_at      timestamp with time zone not null,
    actor_subject    varchar(200)  not null,
    actor_roles      varchar(200)  not null,
    actor_client     varchar(64),
    -- no foreign keys, as in audit_event: the record must outlive its target
    client_id        varchar(64)   not null,
    job_id           uuid,
    material_id      uuid          not null,
    first_byte       bigint        not null,
    last_byte        bigint        not null,
    bytes            bigint        not null,
    request_id       varchar(64),
    client_ip        varchar(64),
    user_agent       varchar(300)
);
create index audit_range_read_material on audit_range_read (material_id);
create index audit_range_read_window on audit_range_read (window_start);

-- Which summary event counts a read. The primary key lets a read be counted once only, ever: a second
-- flusher (another replica, a retry) that got this far would fail its insert and roll its summary back.
create table audit_range_flush (
    read_id   uuid  primary key,
    event_id  uuid  not null
);
create index audit_range_flush_event on audit_range_flush (event_id);
