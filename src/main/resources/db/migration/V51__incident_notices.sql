-- Incident notices (GDPR Art. 33(2)): the processor tells the affected controllers of a personal-data breach,
-- with the Art. 33(3) fields the controller passes on to its supervisory authority. Append-only: a correction
-- is a new notice. The notice itself reaches each client through the webhook and email outboxes.
create table incident (
    id                         uuid primary key,
    nature                     varchar(4000) not null,
    data_subject_categories    varchar(2000) not null,
    approximate_data_subjects  bigint        not null,
    record_categories          varchar(2000) not null,
    approximate_records        bigint        not null,
    likely_consequences        varchar(4000) not null,
    measures                   varchar(4000) not null,
    contact_point              varchar(1000) not null,
    detected_at                timestamp with time zone not null,
    notified_at                timestamp with time zone not null,
    raised_by                  varchar(255)  not null
);
create index incident_notified on incident (notified_at);

-- The affected clients of a notice: each was notified, and its admin may read the notice.
create table incident_client (
    incident_id  uuid        not null references incident (id),
    client_id    varchar(64) not null references client (id),
    primary key (incident_id, client_id)
);
create index incident_client_client on incident_client (client_id);
