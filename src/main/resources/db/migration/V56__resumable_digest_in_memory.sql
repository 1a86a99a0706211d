-- No hash state at rest any more: the whole-file SHA-256 of a resumable upload lives in the memory of the replica
-- that took its last request (io.valv.material.UploadDigests), and an upload resumed elsewhere is hashed from its
-- assembled object at completion (docs/crypto.md, "Whole-file SHA-256"). assembled = its multipart upload is
-- completed in the store (the object exists), so a completion that failed after that point is retried without
-- completing it twice, and abandoning it deletes the object instead of aborting the multipart upload.
alter table tus_upload drop column digest_state;
alter table tus_upload add column assembled boolean not null default false;
