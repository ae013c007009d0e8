-- A fallback benchmark is another instrument than the listing and than its own benchmark, and only listings that are
-- not benchmarks have one (seed listing_fallback_benchmarks).
select fallbacks.symbol, fallbacks.fallback_benchmark_symbol
from {{ ref('stg_curated__listing_fallback_benchmarks') }} as fallbacks
inner join {{ ref('stg_curated__listings') }} as listings
    on listings.symbol = fallbacks.symbol
where listings.is_benchmark
    or fallbacks.fallback_benchmark_symbol = fallbacks.symbol
    or fallbacks.fallback_benchmark_symbol = listings.benchmark_symbol
