-- Any chunk size makes progress: the plaintext received of a part that is not complete yet (the tail) is kept,
-- sealed under a key of its material (docs/crypto.md, "Tails"), so that the durable offset can stand between
-- part boundaries. durable_offset = start of the unfinished part + tail_length; digest_state stays at the part
-- start (the tail is hashed again when the part completes).
alter table tus_upload add column tail_length bigint not null default 0;

create table tus_upload_tail (
    upload_id     varchar(64)  primary key references tus_upload (id) on delete cascade,
    part_start    bigint       not null,
    sealed        bytea        not null
);
