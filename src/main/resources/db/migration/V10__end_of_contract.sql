-- Scheduled end of contract (Art. 28(3)(g)): offboarding and DPA termination wait a cancellable period,
-- during which the controller can take its data back or confirm deletion early.
alter table client add column offboard_scheduled_for timestamp with time zone;
alter table client add column offboard_scheduled_by  varchar(255);
alter table client add column offboard_reason        varchar(500);

alter table dpa add column termination_scheduled_for timestamp with time zone;
alter table dpa add column termination_scheduled_by  varchar(255);
alter table dpa add column termination_reason        varchar(500);

-- An erasure instruction for a whole job also covers uploads that were still streaming when it was given:
-- such an upload may not become `stored` (lifecycle rule 1).
alter table job add column erasure_instructed_at timestamp with time zone;

create index client_offboard_due on client (offboard_scheduled_for);
create index dpa_termination_due on dpa (termination_scheduled_for);
