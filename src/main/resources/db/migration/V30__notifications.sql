-- Webhook endpoints of a client (Standard Webhooks). During a secret rotation the previous secret keeps
-- signing until previous_secret_until, so that a receiver can switch over without losing a delivery.
create table webhook_endpoint (
    id                     uuid primary key,
    client_id              varchar(64)   not null references client (id),
    url                    varchar(2000) not null,
    events                 varchar(1000) not null,
    secret                 varchar(100)  not null,
    previous_secret        varchar(100),
    previous_secret_until  timestamp with time zone,
    created_at             timestamp with time zone not null
);
create index webhook_endpoint_client on webhook_endpoint (client_id);

-- The outbox: one row per (message, endpoint), written in the transaction of the change it announces, so
-- that a committed change always has its notice and a rolled-back one never does. The worker claims due
-- rows with FOR UPDATE SKIP LOCKED. msg_id is the webhook-id header: the same on every attempt and on a
-- redelivery, so that receivers de-duplicate by it.
create table webhook_delivery (
    id               uuid primary key,
    endpoint_id      uuid          not null references webhook_endpoint (id) on delete cascade,
    client_id        varchar(64)   not null,
    msg_id           varchar(64)   not null,
    event_type       varchar(64)   not null,
    payload          text          not null,
    created_at       timestamp with time zone not null,
    status           varchar(16)   not null,
    attempts         integer       not null default 0,
    next_attempt_at  timestamp with time zone,
    last_status      integer
);
create index webhook_delivery_due on webhook_delivery (status, next_attempt_at);
create index webhook_delivery_endpoint on webhook_delivery (endpoint_id, created_at);

-- Every attempt, as the client admin sees it: when, which HTTP status (null: no answer), how long, and a
-- short excerpt of the error (never the receiver's response body beyond 200 characters).
create table webhook_attempt (
    id            uuid primary key,
    delivery_id   uuid          not null references webhook_delivery (id) on delete cascade,
    attempted_at  timestamp with time zone not null,
    http_status   integer,
    duration_ms   bigint        not null,
    error         varchar(200)
);
create index webhook_attempt_delivery on webhook_attempt (delivery_id, attempted_at);

-- Expiry notices already sent: (material, lead days) once. The primary key makes "once" hold across
-- replicas: whoever inserts the row sends the notice.
create table expiry_notice (
    material_id  uuid    not null,
    lead_days    integer not null,
    sent_at      timestamp with time zone not null,
    primary key (material_id, lead_days)
);

-- Which notices a client's contact address gets by email, and in which language. No row: every type, English.
create table email_setting (
    client_id  varchar(64)   primary key references client (id),
    events     varchar(1000) not null,
    language   varchar(2)    not null
);

-- The email outbox, written in the same transaction as the change, like webhook_delivery. The body is
-- rendered when sent, from the stored data (metadata only), so a template fix applies to queued mail too.
create table email_outbox (
    id               uuid primary key,
    client_id        varchar(64)   not null,
    to_address       varchar(320)  not null,
    language         varchar(2)    not null,
    event_type       varchar(64)   not null,
    data             text          not null,
    created_at       timestamp with time zone not null,
    status           varchar(16)   not null,
    attempts         integer       not null default 0,
    next_attempt_at  timestamp with time zone
);
create index email_outbox_due on email_outbox (status, next_attempt_at);
