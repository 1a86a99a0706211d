-- Issue #15: an incident notice may name the window of the breach; the notice then links each affected
-- client to its own section of that window's incident report. Both or neither (checked by the service).
alter table incident add column window_from timestamp with time zone;
alter table incident add column window_to timestamp with time zone;
