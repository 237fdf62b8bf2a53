-- What the node's last heartbeat said of its isolation, shown by GET /nodes and `sluice nodes`: the cgroup hierarchy
-- it uses ("v1", "hybrid" or "v2"; null without isolation, from nodes older than the field, and for rows of before
-- this migration until their node's next heartbeat) and what an operator must know (a node without isolation says
-- what is missing and how to get it). The factory bounds both (domain.NodeWarnings): at most 10 warnings of at most
-- 1000 characters each, cut with a marker, and 32 characters of cgroups.
ALTER TABLE node ADD COLUMN cgroups text;
ALTER TABLE node ADD COLUMN warnings text[];
