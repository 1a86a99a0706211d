-- An endpoint whose delivery was given up after every retry is marked failing (and the client's contact told by
-- email) until a delivery to it succeeds again.
alter table webhook_endpoint add column failing_since timestamp with time zone;
