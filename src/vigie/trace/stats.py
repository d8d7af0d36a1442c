"""The exact binomial tail that turns agreement counts into a false-attribution probability.

Written by hand (a dozen lines) rather than pulling SciPy in for one function: the formula
is what a third party recomputes from the evidence bundle, so it is kept plain:
P(Bin(m, p) >= a) = sum_{k=a}^{m} C(m, k) p^k (1-p)^(m-k), summed in log space.
Everything is in log10 so that strong evidence (1e-500) is stated, not rounded to zero.
"""

from __future__ import annotations

import math

LN10 = math.log(10)


def log10_binomial_tail(agreements: int, observations: int, p: float = 0.5) -> float:
    """log10 P(X >= agreements) for X ~ Bin(observations, p); 0 when nothing was observed."""
    if agreements <= 0 or observations <= 0:
        return 0.0
    if agreements > observations:
        return -math.inf
    log_p, log_q = math.log(p), math.log1p(-p)
    log_terms = [math.lgamma(observations + 1) - math.lgamma(k + 1)
                 - math.lgamma(observations - k + 1) + k * log_p + (observations - k) * log_q
                 for k in range(agreements, observations + 1)]
    top = max(log_terms)
    total = top + math.log(math.fsum(math.exp(t - top) for t in log_terms))
    return min(0.0, total / LN10)


def log10_bonferroni(log10_p: float, tests: int) -> float:
    """Family-wise bound over `tests` candidate exports (never above 1)."""
    return min(0.0, log10_p + math.log10(max(1, tests)))
