-- Issue #15: a client admin can switch an endpoint off without deleting it (and its delivery history).
alter table webhook_endpoint add column enabled boolean default true not null;
