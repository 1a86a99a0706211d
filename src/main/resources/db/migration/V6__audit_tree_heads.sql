-- Signed tree heads of the access log's Merkle tree (RFC 9162, docs/audit.md "Tree heads and inclusion
-- proofs"): leaf i is the chain hash of the event with seq i + 1. Written with the global checkpoints, by
-- the replica holding the checkpoint lock; insert-only like the log (the service role needs SELECT and
-- INSERT only).
create table audit_tree_head (
    tree_size   bigint        primary key,
    root_hash   varchar(64)   not null,
    -- the roots of the perfect subtrees that make up the tree (largest first, hex, comma-separated): where
    -- the next tree head resumes, so that it reads only the events added since
    frontier    text          not null,
    signed_at   timestamp with time zone not null,
    key_id      varchar(16)   not null,
    signature   varchar(128)  not null
);
