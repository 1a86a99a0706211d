-- Resumable (tus) uploads. The material row exists from creation on, `uploading`, with its wrapped data key
-- and S3 multipart upload id; this row adds what a next request, on any replica, needs to continue.
create table tus_upload (
    -- 256 random bits, base64url: the upload URL's only secret-free name (owner checks still apply)
    id                varchar(64)   primary key,
    material_id       uuid          not null unique references material (id),
    subject           varchar(200)  not null,
    client_id         varchar(64)   not null,
    upload_length     bigint        not null,
    -- plaintext bytes durable in the object store; always a whole-part boundary (or upload_length)
    durable_offset    bigint        not null,
    expected_sha256   bytea,
    -- the whole-file SHA-256 state at durable_offset, sealed under a key derived from the data key
    digest_state      bytea         not null,
    -- the part whose ciphertext may have reached the store but is not recorded yet, and the keyed tag of
    -- its plaintext: a later attempt at that part must carry the same plaintext (docs/crypto.md)
    pending_part      integer,
    pending_tag       bytea,
    lease_token       varchar(64),
    lease_until       timestamp with time zone,
    created_at        timestamp with time zone not null,
    expires_at        timestamp with time zone not null,
    completed         boolean       not null default false
);
create index tus_upload_expiry on tus_upload (expires_at);

create table tus_upload_part (
    upload_id     varchar(64)  not null references tus_upload (id) on delete cascade,
    part_number   integer      not null,
    etag          varchar(1024) not null,
    primary key (upload_id, part_number)
);
