-- Upload links ("file requests", docs/security.md): a client admin lets someone without an account upload into
-- one job. The link's secret is never stored, only its SHA-256 (a lookup key: the secret is 128+ random bits).
create table upload_link (
    id            uuid          primary key,
    client_id     varchar(64)   not null references client (id),
    job_id        uuid          not null references job (id),
    token_sha256  bytea         not null unique,
    note          varchar(500),
    max_bytes     bigint        not null,
    max_files     integer       not null,
    expires_at    timestamp with time zone not null,
    created_at    timestamp with time zone not null,
    created_by    varchar(200)  not null,
    revoked_at    timestamp with time zone,
    revoked_by    varchar(200),
    last_used_at  timestamp with time zone
);
create index upload_link_job on upload_link (job_id);
-- A link's use is counted over the materials whose uploader is the link (`upload-link:<id>`).
create index material_uploader on material (uploader);
