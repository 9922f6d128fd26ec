-- The published CCUS registration series (trade press quoting the official figures), each row
-- with its source address, so the dashboards plot it beside the modelled adoption_national.
-- businesses_basis says whether registered_businesses includes sole proprietors.

select
    as_of,
    registered_workers,
    registered_businesses,
    businesses_basis,
    cumulative_work_records,
    source_url
from {{ ref('published_registrations') }}
