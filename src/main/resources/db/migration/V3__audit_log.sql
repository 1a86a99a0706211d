-- The access log (docs/audit.md). Append-only: the service inserts and selects; in production its
-- database role has no UPDATE or DELETE on audit_event and audit_checkpoint (grants in docs/audit.md).
-- Hashes are lowercase hex; timestamps are kept to the microsecond, as they are hashed.
create table audit_event (
    id                uuid          primary key,
    seq               bigint        not null unique,
    client_seq        bigint,
    client_prev_hash  varchar(64),
    occurred_at       timestamp with time zone not null,
    actor_subject     varchar(200),
    actor_roles       varchar(200)  not null,
    actor_client      varchar(64),
    action            varchar(64)   not null,
    outcome           varchar(8)    not null,
    -- no foreign keys: the log must accept any event even if its target is gone or never existed
    client_id         varchar(64),
    job_id            uuid,
    material_id       uuid,
    detail            varchar(500),
    bytes             bigint,
    request_id        varchar(64),
    client_ip         varchar(64),
    user_agent        varchar(300),
    personal_salt     varchar(32)   not null,
    prev_hash         varchar(64)   not null,
    hash              varchar(64)   not null
);
-- NULL client_ids (events without a client) do not collide: both PostgreSQL and H2 allow many NULLs.
create unique index audit_event_client_seq on audit_event (client_id, client_seq);
create index audit_event_client_time on audit_event (client_id, occurred_at);
create index audit_event_material on audit_event (material_id);
create index audit_event_job on audit_event (job_id);
create index audit_event_time on audit_event (occurred_at);

-- The chain head: one row, locked (SELECT ... FOR UPDATE) by every append, which serializes appends
-- across threads and replicas and keeps seq gapless (a rolled-back append rolls back its head update).
create table audit_head (
    id    integer      primary key check (id = 1),
    seq   bigint       not null,
    hash  varchar(64)  not null
);
insert into audit_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Each client's chain head; a row appears with the client's first event.
create table audit_client_head (
    client_id   varchar(64)  primary key,
    client_seq  bigint       not null,
    hash        varchar(64)  not null
);

-- Signed chain heads (Ed25519). client_id NULL: the global chain; else that client's chain, together
-- with the global head at signing time.
create table audit_checkpoint (
    id           uuid          primary key,
    seq          bigint        not null,
    hash         varchar(64)   not null,
    client_id    varchar(64),
    client_seq   bigint,
    client_hash  varchar(64),
    signed_at    timestamp with time zone not null,
    key_id       varchar(16)   not null,
    signature    varchar(128)  not null
);
create index audit_checkpoint_seq on audit_checkpoint (client_id, seq);

-- Locked by the replica that is writing checkpoints, so that replicas sign one after the other; a
-- separate row from audit_head, so that signing never holds up an append.
create table audit_checkpoint_lock (
    id  integer  primary key check (id = 1)
);
insert into audit_checkpoint_lock (id) values (1);
