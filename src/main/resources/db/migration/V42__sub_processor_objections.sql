-- Art. 28(2): a controller may object to an intended change of sub-processors. The objection is the client's
-- instruction, recorded once per client and change, for the processor's admin to act on.
create table sub_processor_objection (
    id           uuid primary key,
    change_id    uuid          not null references sub_processor_change (id),
    client_id    varchar(64)   not null references client (id),
    reason       varchar(2000) not null,
    objected_by  varchar(255)  not null,
    objected_at  timestamp with time zone not null,
    constraint sub_processor_objection_once unique (change_id, client_id)
);
create index sub_processor_objection_client on sub_processor_objection (client_id);
