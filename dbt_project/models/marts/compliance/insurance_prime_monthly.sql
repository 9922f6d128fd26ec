-- 社会保険加入確認 per prime contractor and month (metrics.md §5 "per prime contractor"), one row per
-- (prime_business_id, month): the person-day counts of insurance_site_monthly summed over the
-- prime's sites (the prime of a site = stg_sites.prime_business_id; NULL for roster rows of a
-- site not in the registry yet). persons counts distinct roster persons over those sites.
-- The measures are spelled once, in macros/insurance.sql.

{{ insurance_group_monthly('prime_business_id') }}
