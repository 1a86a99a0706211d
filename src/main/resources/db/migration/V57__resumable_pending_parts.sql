-- Two parts of a resumable upload may be in flight to the store at once (io.valv.material.PartPipeline), so the
-- commitment to a part's plaintext made before its ciphertext leaves (docs/crypto.md, resumable uploads, rule 2)
-- is one row per part instead of one column pair per upload. A row goes when its part is recorded; one left by a
-- request that died binds any later attempt at that part to the same plaintext.
create table tus_pending_part (
    upload_id   varchar(64) not null references tus_upload (id) on delete cascade,
    part_number integer     not null,
    tag         bytea       not null,
    primary key (upload_id, part_number)
);
insert into tus_pending_part (upload_id, part_number, tag)
    select id, pending_part, pending_tag from tus_upload where pending_part is not null and pending_tag is not null;
alter table tus_upload drop column pending_part;
alter table tus_upload drop column pending_tag;
