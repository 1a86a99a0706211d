-- Art. 28(2): controllers must be told of changes to the sub-processors in advance. Every change to the
-- register is recorded with the date it takes effect.
create table sub_processor_change (
    id                uuid primary key,
    sub_processor_id  uuid         not null references sub_processor (id),
    change            varchar(16)  not null,
    description       varchar(500) not null,
    announced_at      timestamp with time zone not null,
    effective_from    date         not null
);
create index sub_processor_change_announced on sub_processor_change (announced_at);
