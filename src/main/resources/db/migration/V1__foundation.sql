-- Clients (controllers). The wrapped client key is the root of everything stored for the client:
-- setting it to NULL on offboarding crypto-shreds all of that client's material.
create table client (
    id              varchar(64)  primary key,
    name            varchar(200) not null,
    org_number      varchar(64),
    contact         varchar(320),
    status          varchar(16)  not null,
    wrapped_key     bytea,
    created_at      timestamp with time zone not null
);

create table sub_processor (
    id                  uuid primary key,
    name                varchar(200) not null unique,
    purpose             varchar(500) not null,
    country             varchar(2)   not null,
    transfer_mechanism  varchar(200) not null,
    created_at          timestamp with time zone not null
);

create table dpa (
    id                          uuid primary key,
    client_id                   varchar(64)  not null references client (id),
    reference                   varchar(100) not null,
    version                     varchar(32)  not null,
    signed_on                   date,
    effective_from              date         not null,
    effective_to                date,
    status                      varchar(16)  not null,
    personal_data_allowed       boolean      not null,
    special_categories_allowed  boolean      not null,
    data_categories             varchar(2000),
    retention_days              integer      not null check (retention_days between 1 and 365),
    created_at                  timestamp with time zone not null,
    terminated_at               timestamp with time zone
);
create index dpa_client on dpa (client_id);

create table dpa_sub_processor (
    dpa_id            uuid not null references dpa (id),
    sub_processor_id  uuid not null references sub_processor (id),
    primary key (dpa_id, sub_processor_id)
);

create table job (
    id                uuid primary key,
    client_id         varchar(64)  not null references client (id),
    dpa_id            uuid         not null references dpa (id),
    title             varchar(300) not null,
    status            varchar(16)  not null,
    reuse_requested   boolean      not null,
    created_at        timestamp with time zone not null,
    closed_at         timestamp with time zone
);
create index job_client on job (client_id);

create table job_assignment (
    job_id       uuid         not null references job (id),
    staff        varchar(200) not null,
    assigned_by  varchar(200) not null,
    assigned_at  timestamp with time zone not null,
    primary key (job_id, staff)
);

-- A material row is `uploading` while its ciphertext streams to the object store and becomes
-- `stored` only after the store confirmed the whole object. object_key is random; the filename
-- never reaches the store.
create table material (
    id                 uuid primary key,
    job_id             uuid          not null references job (id),
    client_id          varchar(64)   not null references client (id),
    dpa_id             uuid          not null references dpa (id),
    filename           varchar(255)  not null,
    media_type         varchar(255)  not null,
    personal_data      boolean       not null,
    size               bigint,
    ciphertext_size    bigint,
    sha256             varchar(64),
    uploader           varchar(200)  not null,
    uploaded_at        timestamp with time zone not null,
    expires_at         timestamp with time zone not null,
    state              varchar(16)   not null,
    purge_reason       varchar(32),
    purged_at          timestamp with time zone,
    object_key         varchar(128)  not null unique,
    upload_id          varchar(1024),
    stream_header      bytea         not null
);
create index material_job on material (job_id);
create index material_state_expiry on material (state, expires_at);

-- Wrapped per-material data keys live apart from the material row so that destroying one is a
-- plain DELETE (the cryptographic erase) while the row stays as the record of what existed.
create table material_key (
    material_id   uuid primary key references material (id),
    wrapped_key   bytea not null
);
