-- The four factors of the Carhart (1997) model per US trading day: Kenneth French's market, size and value factors
-- and his momentum factor, on the days both files hold (fractions), with the risk-free rate.
select
    factors.trade_date,
    factors.market_excess_return,
    factors.smb_return,
    factors.hml_return,
    momentum.momentum_return,
    factors.risk_free_return,
    factors.file_vintage,
    momentum.file_vintage as momentum_file_vintage
from {{ ref('stg_french__factors_daily') }} as factors
inner join {{ ref('stg_french__momentum_daily') }} as momentum
    on momentum.trade_date = factors.trade_date
where factors.market_excess_return is not null
    and factors.smb_return is not null
    and factors.hml_return is not null
    and momentum.momentum_return is not null
    and factors.risk_free_return is not null
