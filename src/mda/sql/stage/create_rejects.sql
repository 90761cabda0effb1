-- purpose: the staging table of decoded rejects, typed like the Arrow rows registered as 'staged' (none yet)
-- grain: rejects
-- parameters: none (the column types come from the registered empty Arrow table)
CREATE TABLE rejects AS SELECT * FROM staged
