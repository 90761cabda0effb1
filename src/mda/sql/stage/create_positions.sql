-- purpose: the staging table of decoded positions, typed like the Arrow rows registered as 'staged' (none yet)
-- grain: positions
-- parameters: none (the column types come from the registered empty Arrow table)
CREATE TABLE positions AS SELECT * FROM staged
