-- 社会保険加入確認 per orderer type and month (metrics.md §5 "per orderer"; the sites feed names the
-- orderer by its type only), one row per (orderer_type, month): the person-day counts of
-- insurance_site_monthly summed over the sites of that orderer type (NULL for roster rows of a
-- site not in the registry yet).
-- The measures are spelled once, in macros/insurance.sql.

{{ insurance_group_monthly('orderer_type') }}
