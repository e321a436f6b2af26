"""Hedge ratios of a pair: OLS, total least squares and a causal Kalman filter."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np

from engine._results import Result
from engine._typing import FloatArray
from engine.pairs._checks import check_pair

__all__ = [
    "HedgeRatio",
    "KalmanHedge",
    "kalman_hedge_ratio",
    "ols_hedge_ratio",
    "tls_hedge_ratio",
]


@dataclasses.dataclass(frozen=True)
class HedgeRatio(Result):
    """Static hedge ratio: ``y ~ alpha + beta x``.

    Attributes
    ----------
    beta, alpha : float
        Slope and intercept (NaN when ``x`` has zero variance, or both for TLS).
    method : {"ols", "tls"}
    """

    beta: float
    alpha: float
    method: str


def _moments(y: FloatArray, x: FloatArray) -> tuple[float, float, float, float, float]:
    my, mx = float(y.mean()), float(x.mean())
    yc, xc = y - my, x - mx
    return my, mx, float(xc @ xc), float(yc @ yc), float(xc @ yc)


def ols_hedge_ratio(y: Any, x: Any) -> HedgeRatio:
    r"""Ordinary least squares with intercept.

    .. math:: \hat\beta = \frac{\sum (x_t - \bar x)(y_t - \bar y)}{\sum (x_t - \bar x)^2},
       \qquad \hat\alpha = \bar y - \hat\beta \bar x

    NaN when ``x`` is constant.
    """
    ya, xa = check_pair(y, x)
    my, mx, sxx, _, sxy = _moments(ya, xa)
    if not sxx > 0.0:
        return HedgeRatio(math.nan, math.nan, "ols")
    beta = sxy / sxx
    return HedgeRatio(beta, my - beta * mx, "ols")


def tls_hedge_ratio(y: Any, x: Any) -> HedgeRatio:
    r"""Total least squares (orthogonal regression) with intercept.

    Minimizes the sum of squared *perpendicular* distances of the points
    :math:`(x_t, y_t)` from the line, i.e. the line along the first principal component of
    the centred data:

    .. math:: \hat\beta = \frac{s_{yy} - s_{xx} + \sqrt{(s_{yy} - s_{xx})^2 + 4 s_{xy}^2}}
       {2 s_{xy}}, \qquad \hat\alpha = \bar y - \hat\beta \bar x,

    with centred sums of squares and products :math:`s`. Scaling: TLS is *not* invariant to
    rescaling one series, so the inputs are used in their own units, which for log prices
    means equal weight to a 1 % move of either leg (no standardization). Symmetric in the
    sense that regressing ``x`` on ``y`` gives ``1 / beta``. NaN when ``s_xy = 0`` (no
    unique principal direction or a vertical/horizontal line) or both series are constant.

    References
    ----------
    Golub, G.H. and Van Loan, C.F. (1980). An analysis of the total least squares problem.
    *SIAM Journal on Numerical Analysis* 17(6), 883-893.
    """
    ya, xa = check_pair(y, x)
    my, mx, sxx, syy, sxy = _moments(ya, xa)
    if sxy == 0.0:
        return HedgeRatio(math.nan, math.nan, "tls")
    diff = syy - sxx
    beta = (diff + math.sqrt(diff * diff + 4.0 * sxy * sxy)) / (2.0 * sxy)
    return HedgeRatio(beta, my - beta * mx, "tls")


@dataclasses.dataclass(frozen=True)
class KalmanHedge(Result):
    """Causal time-varying hedge ratio from :func:`kalman_hedge_ratio`.

    Attributes
    ----------
    beta, alpha : ndarray
        Filtered states :math:`\\beta_{t|t}`, :math:`\\alpha_{t|t}` (data up to ``t``).
    spread : ndarray
        :math:`y_t - \\beta_{t|t} x_t - \\alpha_{t|t}`.
    innovation, innovation_var : ndarray
        One-step forecast error :math:`y_t - \\beta_{t|t-1} x_t - \\alpha_{t|t-1}` and its
        variance (the z-score of a Kalman pair strategy is their ratio over the root).
    delta, observation_variance, initial_variance : float
        Settings used.
    """

    beta: FloatArray
    alpha: FloatArray
    spread: FloatArray
    innovation: FloatArray
    innovation_var: FloatArray
    delta: float
    observation_variance: float
    initial_variance: float


def kalman_hedge_ratio(
    y: Any,
    x: Any,
    *,
    delta: float = 1e-4,
    observation_variance: float = 1e-3,
    initial_variance: float = 1.0,
) -> KalmanHedge:
    r"""Dynamic hedge ratio by a Kalman filter with random-walk coefficients.

    State :math:`\theta_t = (\beta_t, \alpha_t)^\top`, observation :math:`H_t = (x_t, 1)`:

    .. math::
        \theta_t = \theta_{t-1} + w_t,\; w_t \sim N(0, \tfrac{\delta}{1-\delta} I_2), \qquad
        y_t = H_t \theta_t + \varepsilon_t,\; \varepsilon_t \sim N(0, V_\varepsilon).

    Standard filter recursions: :math:`P_{t|t-1} = P_{t-1|t-1} + Q`,
    :math:`e_t = y_t - H_t \theta_{t|t-1}`, :math:`S_t = H_t P_{t|t-1} H_t^\top +
    V_\varepsilon`, :math:`K_t = P_{t|t-1} H_t^\top / S_t`,
    :math:`\theta_{t|t} = \theta_{t|t-1} + K_t e_t`, :math:`P_{t|t} = (I - K_t H_t)
    P_{t|t-1}`, started at :math:`\theta_{0|0} = 0`, :math:`P_{0|0} = p_0 I`. The estimate at
    ``t`` uses data up to and including ``t`` only (causal; filtering, not smoothing).

    Parameters
    ----------
    y, x : array_like
        Log prices.
    delta : float
        Random-walk intensity in (0, 1); default 1e-4 (Chan, 2013): larger adapts faster.
    observation_variance : float
        :math:`V_\varepsilon`, variance of the spread noise in squared log-price units;
        default 1e-3 (a daily spread noise of about 3 %).
    initial_variance : float
        :math:`p_0`, prior variance of the initial state; default 1.

    References
    ----------
    Chan, E.P. (2013). *Algorithmic Trading*, ch. 3. Wiley.
    Durbin, J. and Koopman, S.J. (2012). *Time Series Analysis by State Space Methods*,
    2nd ed. Oxford University Press.
    """
    ya, xa = check_pair(y, x)
    if not 0.0 < delta < 1.0:
        raise ValueError("delta must lie in (0, 1)")
    if not observation_variance > 0.0 or not initial_variance > 0.0:
        raise ValueError("observation_variance and initial_variance must be positive")
    n = ya.size
    q = delta / (1.0 - delta)
    beta = np.empty(n)
    alpha = np.empty(n)
    innov = np.empty(n)
    svar = np.empty(n)
    b, a = 0.0, 0.0
    p11, p12, p22 = initial_variance, 0.0, initial_variance
    for t, (yt, xt) in enumerate(zip(ya.tolist(), xa.tolist(), strict=True)):
        p11 += q
        p22 += q
        e = yt - (b * xt + a)
        ph1 = p11 * xt + p12  # P H'
        ph2 = p12 * xt + p22
        s = xt * ph1 + ph2 + observation_variance
        k1, k2 = ph1 / s, ph2 / s
        b += k1 * e
        a += k2 * e
        p11, p12, p22 = p11 - k1 * ph1, p12 - k1 * ph2, p22 - k2 * ph2
        beta[t], alpha[t], innov[t], svar[t] = b, a, e, s
    return KalmanHedge(
        beta=beta,
        alpha=alpha,
        spread=ya - beta * xa - alpha,
        innovation=innov,
        innovation_var=svar,
        delta=float(delta),
        observation_variance=float(observation_variance),
        initial_variance=float(initial_variance),
    )
