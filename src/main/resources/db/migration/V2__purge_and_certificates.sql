-- Signed certificates of deletion. `document` is the canonical JSON that was signed; `signed_data`
-- the CMS SignedData (DER) that encapsulates it. One certificate per purged material, plus any a
-- client admin requests for a job or the whole client.
create table deletion_certificate (
    id            uuid primary key,
    client_id     varchar(64)  not null references client (id),
    scope         varchar(16)  not null,
    material_id   uuid unique references material (id),
    job_id        uuid references job (id),
    issued_at     timestamp with time zone not null,
    document      text         not null,
    signed_data   bytea        not null
);
create index deletion_certificate_client on deletion_certificate (client_id, issued_at);

-- A member of staff's statement that they deleted every local copy of a job's material.
create table local_copy_attestation (
    job_id       uuid         not null references job (id),
    staff        varchar(200) not null,
    attested_at  timestamp with time zone not null,
    primary key (job_id, staff)
);

create index material_state on material (state);
