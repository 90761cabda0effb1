-- purpose: the staging table of decoded vessel_static, typed like the Arrow rows registered as 'staged' (none yet)
-- grain: vessel_static
-- parameters: none (the column types come from the registered empty Arrow table)
CREATE TABLE vessel_static AS SELECT * FROM staged
