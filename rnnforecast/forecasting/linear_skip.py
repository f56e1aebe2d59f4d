"""The linear skip: ridge regression on standardised windows, fitted from blocks of rows.

The forecaster's model (see :mod:`.window_model`) is a ridge regression on
the window plus networks fitted to its residuals. scikit-learn's ``RidgeCV``
needs the design matrix in memory; the windows of a long series are too many
for that (see :mod:`.windows`), so the linear skip accumulates what ridge regression needs a
block of rows at a time. With an unpenalised intercept, centred rows
``x_c = x - mean(x)`` and the eigendecomposition ``X_c^T X_c = V diag(lam) V^T``:

    coef(alpha) = V diag(1 / (lam + alpha)) V^T X_c^T Y_c

and the leave-one-out residual of row i is ``r_i / (1 - h_i)`` (the PRESS
identity, Allen 1974), with ``r_i`` the residual of the fit on every row and
the leverage

    h_i = 1 / n + sum_j (x_c,i^T v_j)^2 / (lam_j + alpha).

The penalty with the smallest mean squared leave-one-out error over every row
and target is chosen, as ``RidgeCV(alphas)`` chooses it: the same criterion
and, up to rounding, the same coefficients (tested). Two passes over the
blocks: one for the sums, one for the leave-one-out errors, both costing
O(n p^2) for p features, and O(p^2) memory.
"""

import numpy as np

__all__ = ["BlockRidgeCV", "fit_linear_skip", "standardised_windows"]

# Ridge penalties tried by efficient leave-one-out cross-validation.
ALPHAS = np.logspace(-3, 3, 13)


def standardised_windows(features, offset, n_step_features):
    """Windows in standardised series units, what the ridge reads: the
    target channel (every ``n_step_features``-th column from 0) shifted by
    the window's offset, and NaN (a missing step) read as 0."""
    absolute = np.nan_to_num(features)
    absolute[:, ::n_step_features] += offset[:, None]
    return absolute


def fit_linear_skip(blocks, n_step_features):
    """Ridge regression on standardised windows; penalty by leave-one-out.

    ``blocks()`` yields blocks ``(features, z, offset)`` of the training
    windows (see :meth:`.windows.SeriesWindows.blocks`): features and targets
    ``z`` relative to each window's level, and ``offset`` that level in
    standardised series units, so the ridge sees plain standardised values
    and its penalty shrinks towards the series mean (shrinking towards the
    last value instead was worse on mean-reverting series such as sunspots
    and PM2.5 in the accuracy benchmark).
    """
    def absolute():
        for features, z, offset in blocks():
            targets = z + offset[:, None]
            yield (standardised_windows(features, offset, n_step_features),
                   targets[:, 0] if targets.shape[1] == 1 else targets)

    return BlockRidgeCV(ALPHAS).fit(absolute)


class BlockRidgeCV:
    """Ridge regression with an intercept, fitted from blocks of rows.

    Parameters
    ----------
    alphas : array-like of float
        Penalties to choose from by leave-one-out error; with fewer than 3
        rows, the fixed penalty ``fixed_alpha`` instead.
    fixed_alpha : float, default=1.0

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    alpha_ : float
        The penalty chosen.
    n_features_in_ : int
    """

    def __init__(self, alphas, fixed_alpha=1.0):
        self.alphas = np.asarray(alphas, dtype=np.float64)
        self.fixed_alpha = fixed_alpha

    def fit(self, blocks):
        """Fit to the rows that ``blocks()`` yields.

        Parameters
        ----------
        blocks : callable
            ``blocks()`` returns a new iterator of ``(X, y)`` pairs, X of
            shape (m, n_features) and y of shape (m,) or (m, n_targets); it is
            called twice.

        Returns
        -------
        self : BlockRidgeCV
        """
        n, shift_x, shift_y, sum_x, sum_y, xx, xy, one_target = _sums(blocks())
        if n == 0:
            raise ValueError("the linear skip has no row to fit on.")
        mean_x, mean_y = sum_x / n, sum_y / n
        # Sums of the shifted rows, centred: X_c^T X_c and X_c^T Y_c.
        gram = xx - n * np.outer(mean_x, mean_x)
        cross = xy - n * np.outer(mean_x, mean_y)
        lam, V = np.linalg.eigh(gram)
        lam = np.maximum(lam, 0.0)
        projected = V.T @ cross  # (p, k)
        if n < 3:
            alpha = float(self.fixed_alpha)
        else:
            errors = self._loo_errors(blocks(), shift_x + mean_x, shift_y + mean_y,
                                      n, lam, V, projected)
            alpha = float(self.alphas[np.argmin(errors)])
        coef = (V @ (projected / (lam + alpha)[:, None])).T  # (k, p)
        intercept = (shift_y + mean_y) - coef @ (shift_x + mean_x)
        self.alpha_ = alpha
        self.coef_ = coef[0] if one_target else coef
        self.intercept_ = float(intercept[0]) if one_target else intercept
        self.n_features_in_ = coef.shape[1]
        return self

    def _loo_errors(self, blocks, mean_x, mean_y, n, lam, V, projected):
        """Sum of squared leave-one-out residuals for each alpha."""
        inverse = 1.0 / (lam[:, None] + self.alphas[None, :])  # (p, n_alphas)
        k = projected.shape[1]
        # Fitted centred targets of every alpha in one matmul: Q @ weights,
        # weights[:, a * k + t] = projected[:, t] / (lam + alpha_a).
        weights = (inverse[:, :, None] * projected[:, None, :]).reshape(len(lam), -1)
        errors = np.zeros(len(self.alphas))
        for X, y in blocks:
            Q = (X - mean_x) @ V
            y_c = np.reshape(y, (len(X), -1)) - mean_y
            fitted = (Q @ weights).reshape(len(X), len(self.alphas), k)
            leverage = 1.0 / n + (Q * Q) @ inverse  # (m, n_alphas)
            loo = (y_c[:, None, :] - fitted) / (1.0 - leverage)[:, :, None]
            errors += np.einsum("mak,mak->a", loo, loo)
        return errors

    def predict(self, X):
        """Predictions for rows ``X`` of shape (m, n_features)."""
        return X @ self.coef_.T + self.intercept_


def _sums(blocks):
    """Row count, shifts (the first block's means), and sums of the shifted
    rows: x, y, x x^T and x y^T. Shifting by a typical row keeps the
    subtraction that centres the Gram matrix from losing digits."""
    n, shift_x, shift_y = 0, None, None
    for X, y in blocks:
        X = np.asarray(X, dtype=np.float64)
        one_target = np.ndim(y) == 1
        Y = np.reshape(np.asarray(y, dtype=np.float64), (len(X), -1))
        if len(X) == 0:
            continue
        if shift_x is None:
            shift_x, shift_y = X.mean(axis=0), Y.mean(axis=0)
            p, k = X.shape[1], Y.shape[1]
            sum_x, sum_y = np.zeros(p), np.zeros(k)
            xx, xy = np.zeros((p, p)), np.zeros((p, k))
        Xs, Ys = X - shift_x, Y - shift_y
        n += len(X)
        sum_x += Xs.sum(axis=0)
        sum_y += Ys.sum(axis=0)
        xx += Xs.T @ Xs
        xy += Xs.T @ Ys
    if shift_x is None:
        return 0, None, None, None, None, None, None, True
    return n, shift_x, shift_y, sum_x, sum_y, xx, xy, one_target
