"""RNNRegressor: the recurrent core behind scikit-learn's regressor API.

The estimator validates input, converts it to the core's time-major layout,
starts or continues the network (warm starts, ``partial_fit``) and sets its
fitted attributes from what the epochs did; the epoch loop and its stopping
rules live in :mod:`rnnforecast._epochs`, the math in :mod:`rnnforecast._core`.
"""

from numbers import Integral, Real

import numpy as np
from sklearn import config_context
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import (
    FLOAT_DTYPES, _check_sample_weight, check_is_fitted, validate_data,
)

from ._blas_threads import blas_threads
from ._column_split import column_split
from ._epochs import EpochLoop, split_validation
from ._scaling import Standardization
from ._value_range import check_trainable_range
from ._core.batches import ArrayBatches
from ._core.optimizers import make_optimizer
from ._core.prediction_copies import predict_as
from ._core.recurrent import RecurrentNetwork
from ._core.time_major import to_time_major

# What a warm start or partial_fit may not change: the network's shape and
# what it reads (the order of the steps, the standardisation learned anew).
_ARCHITECTURE = ("cell", "hidden_size", "num_layers", "activation", "step_order",
                 "standardize_inputs", "standardize_target")


class RNNRegressor(RegressorMixin, BaseEstimator):
    """Recurrent neural network regressor (Elman RNN, GRU or LSTM).

    Each row of ``X`` is a sequence, read time-major: with
    ``n_step_features=F`` the columns are step 0's F features, then step 1's,
    ..., oldest step first, newest last. A 3-D array of shape
    ``(n_samples, n_steps, n_step_features)`` is accepted too. A step holding
    any NaN is a missing step: the hidden state carries over it unchanged, so
    NaN left-padding makes a shorter sequence. ``inf`` is an error.

    Lag features as skforecast and mlforecast make them (``lag_1, lag_2,
    ...``) come newest first: pass ``step_order="newest_first"``, or the
    network reads time backwards. (Columns that are not lags, such as
    skforecast's exog or mlforecast's date features, are not steps of the
    sequence; with them, build ``X`` yourself.)

    Inputs and targets are standardised by default: the network reads each
    step feature as ``(x - mean) / std`` and is trained on each target
    column as ``(y - mean) / std``, and its predictions are mapped back, so
    that raw series (values in the hundreds, say) need no scaler around the
    estimator. The statistics are weighted by ``sample_weight``,
    learned on the rows a new network trains on (without the early-stopping
    rows) and kept by ``partial_fit`` and warm starts.

    The network is ``num_layers`` stacked recurrent layers with a linear head
    on the last hidden state of the top layer, trained on half the mean
    squared error with mini-batch Adam or SGD and backpropagation through time.

    Parameters
    ----------
    cell : {"rnn", "gru", "lstm"}, default="gru"
        Recurrent cell: Elman RNN, gated recurrent unit or long short-term
        memory.
    hidden_size : int, default=32
        Hidden units per layer.
    num_layers : int, default=1
        Stacked recurrent layers.
    activation : {"tanh", "relu"}, default="tanh"
        Nonlinearity of the Elman cell (GRU and LSTM ignore it).
    n_step_features : int, default=1
        Features per time step of a 2-D ``X``; the number of columns must be
        a multiple of it. Ignored for 3-D ``X``.
    step_order : {"oldest_first", "newest_first"}, default="oldest_first"
        Order of the steps in a row of ``X`` (2-D or 3-D): "newest_first"
        for lag columns ``lag_1, lag_2, ...`` as skforecast and mlforecast
        make them. Features within a step keep their order.
    standardize_target : bool, default=True
        Train on each target column standardised to mean 0 and standard
        deviation 1, and map predictions back. ``loss_curve_`` and
        ``best_loss_`` are then in standardised units.
    standardize_inputs : bool, default=True
        Standardise each step feature (one mean and standard deviation over
        all its steps and rows, missing steps left out) before the network
        reads it.
    solver : {"adam", "sgd"}, default="adam"
        The optimiser of the weights: Adam, or stochastic gradient descent
        with Nesterov momentum.
    learning_rate_init : float, default=0.001
        Step size of the solver, kept for the whole fit.
    momentum : float, default=0.9
        Nesterov momentum of the "sgd" solver.
    batch_size : int, default=32
        Sequences per update (clipped to the number of training rows).
    max_iter : int, default=200
        Maximum number of epochs of ``fit``.
    tol : float, default=1e-4
        Improvement of the training loss (or, with early stopping, of the
        validation score) below which an epoch counts as no improvement.
    n_iter_no_change : int, default=10
        Epochs without improvement after which training stops.
    early_stopping : bool, default=False
        Hold out the most recent rows as a validation set, stop when its R^2
        stops improving and restore the best weights. ``partial_fit`` ignores
        it.
    validation_fraction : float, default=0.1
        Fraction of rows, taken from the END of the data (never shuffled into
        the past), used for early stopping. The ``n_steps + n_outputs - 1``
        rows before them are left out of training too, so that no time step
        of a validation window (inputs or targets) also lies in a training
        window when rows are consecutive windows of one series.
    alpha : float, default=0.0001
        L2 penalty on the weight matrices (not the biases), scaled as in
        :class:`sklearn.neural_network.MLPRegressor`.
    clip_norm : float or None, default=1.0
        Clip the global norm of the gradient to this value; None disables.
    bptt_steps : int or None, default=None
        None: full backpropagation through time. ``k``: truncated BPTT, the
        gradient reaches only the last k steps of each sequence.
    shuffle : bool, default=True
        Shuffle the training rows every epoch.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation and the shuffling; the same value
        gives bit-identical predictions.
    warm_start : bool, default=False
        Start ``fit`` from the weights of the previous fit.
    verbose : bool or int, default=False
        Print one line per epoch: loss, validation score, gradient norm,
        how many updates were clipped, seconds.
    dtype : {"float32", "float64"}, default="float32"
        Precision of training. Predictions are always computed in float64
        from the learned weights. ``fit`` refuses (ValueError) values that
        training cannot hold: in float32 sizes above 3.4e38, or every
        value below 1.2e-38; in either dtype sizes above 1e154 or every
        value below 1e-154, whose squares the standardisation cannot sum.
    n_jobs : int or None, default=None
        Processes a fit trains in: one for None and 1; for k >= 2 (-1: every
        processor, and never more than there are) the columns of each batch
        are split into k parts, k - 1 worker processes compute the gradients
        of theirs while this process computes the first, sums them and
        updates the weights. A batch is split only where each part holds
        enough work to pay for its messages (about 12 million multiply-adds
        of the step matmuls), so small networks train in one process whatever
        ``n_jobs`` says. Fits agree with ``n_jobs=1`` within rounding (the
        gradients are summed in another order) and are reproducible for the
        same ``n_jobs``. The workers start with ``fork`` on Linux and
        ``spawn`` elsewhere, and end with the fit. Inside a job of joblib's
        loky backend (``GridSearchCV(n_jobs=...)``) a fit keeps to the job's
        share of the processors.

    Attributes
    ----------
    n_features_in_ : int
        Columns of the 2-D ``X`` seen in fit (``n_steps * n_step_features``).
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` was a DataFrame with string column names.
    n_steps_ : int
        Time steps per sequence.
    n_step_features_ : int
        Features per time step.
    n_outputs_ : int
        Outputs (columns of ``y``).
    target_mean_, target_scale_ : ndarray of shape (n_outputs_,) or None
        The standardisation of the targets (None with
        ``standardize_target=False``).
    input_mean_, input_scale_ : ndarray of shape (n_step_features_,) or None
        The standardisation of the step features (None with
        ``standardize_inputs=False``).
    loss_curve_ : list of float
        Training loss of every epoch.
    validation_scores_ : list of float or None
        R^2 on the validation rows after every epoch (early stopping only).
    best_validation_score_ : float or None
        The best of ``validation_scores_`` (early stopping only).
    best_loss_ : float
        The lowest training loss reached.
    grad_norm_curve_ : list of float
        Mean global gradient norm (before clipping) of every epoch.
    clipped_curve_ : list of float
        Fraction of the updates of every epoch whose gradient was clipped.
    n_iter_ : int
        Epochs run.
    t_ : int
        Training rows seen (over all epochs).
    diverged_ : bool
        True when the loss became NaN or inf and training stopped early with
        the last finite weights.
    network_ : rnnforecast._core.recurrent.RecurrentNetwork
        The fitted network itself (not a copy), in the training ``dtype``:
        what :mod:`rnnforecast.diagnostics` inspects, with
        :meth:`to_time_major` for its inputs.
    weights_ : dict of str to ndarray
        The learned parameters: per layer ``W_xh_<l>`` (input to hidden,
        gates fused), ``W_hh_<l>`` (hidden to hidden), ``b_<l>``, and the
        head ``W_hy``, ``b_y``.

    See Also
    --------
    sklearn.neural_network.MLPRegressor : The feed-forward counterpart.

    Notes
    -----
    A fit interrupted by KeyboardInterrupt (Ctrl-C) undoes the epoch it was
    in and raises the KeyboardInterrupt again, so that the program still
    stops. The estimator is then what a fit with ``max_iter`` equal to the
    epochs completed would have left (without its ``ConvergenceWarning``):
    the weights of the last completed epoch (with early stopping, of the best
    one), curves of the completed epochs only, and the optimiser and the
    shuffling as they were after that epoch, so that ``partial_fit``
    continues from there. A fit that started a new network and completed no
    epoch leaves the estimator unfitted, even if it was fitted before (the
    old network is dropped when a fit starts anew); an interrupted
    ``partial_fit`` or warm start leaves the weights and curves as they were
    before the call. Unlike :class:`~sklearn.neural_network.MLPRegressor`,
    which warns and returns after Ctrl-C, the interruption propagates.

    Examples
    --------
    >>> import numpy as np
    >>> from rnnforecast import RNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.standard_normal((200, 8))     # 200 sequences of 8 steps
    >>> y = X[:, 2]                           # the value seen 5 steps ago
    >>> model = RNNRegressor(hidden_size=16, learning_rate_init=0.01, random_state=0)
    >>> model.fit(X, y).score(X, y) > 0.9
    True
    >>> model.predict(X[:3]).shape
    (3,)
    """

    _parameter_constraints = {
        "cell": [StrOptions({"rnn", "gru", "lstm"})],
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "activation": [StrOptions({"tanh", "relu"})],
        "n_step_features": [Interval(Integral, 1, None, closed="left")],
        "step_order": [StrOptions({"oldest_first", "newest_first"})],
        "standardize_target": ["boolean"],
        "standardize_inputs": ["boolean"],
        "solver": [StrOptions({"adam", "sgd"})],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "momentum": [Interval(Real, 0, 1, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "clip_norm": [Interval(Real, 0, None, closed="neither"), None],
        "bptt_steps": [Interval(Integral, 1, None, closed="left"), None],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "warm_start": ["boolean"],
        "verbose": ["verbose"],
        "dtype": [StrOptions({"float32", "float64"})],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
    }

    def __init__(
        self,
        *,
        cell="gru",
        hidden_size=32,
        num_layers=1,
        activation="tanh",
        n_step_features=1,
        step_order="oldest_first",
        standardize_target=True,
        standardize_inputs=True,
        solver="adam",
        learning_rate_init=0.001,
        momentum=0.9,
        batch_size=32,
        max_iter=200,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        alpha=0.0001,
        clip_norm=1.0,
        bptt_steps=None,
        shuffle=True,
        random_state=None,
        warm_start=False,
        verbose=False,
        dtype="float32",
        n_jobs=None,
    ):
        self.cell = cell
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.activation = activation
        self.n_step_features = n_step_features
        self.step_order = step_order
        self.standardize_target = standardize_target
        self.standardize_inputs = standardize_inputs
        self.solver = solver
        self.learning_rate_init = learning_rate_init
        self.momentum = momentum
        self.batch_size = batch_size
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.alpha = alpha
        self.clip_norm = clip_norm
        self.bptt_steps = bptt_steps
        self.shuffle = shuffle
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.dtype = dtype
        self.n_jobs = n_jobs

    # -- public API -------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the network to sequences ``X`` and targets ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps * n_step_features) or \
                (n_samples, n_steps, n_step_features)
            Sequences, time-major, in ``step_order``; NaN marks a missing step.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets; several columns (e.g. forecast steps) share one network.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows in the loss, the early-stopping
            score and the standardisation; None weighs every row equally.

        Returns
        -------
        self : RNNRegressor
            The fitted estimator.
        """
        return self._fit(*self._array_batches(X, y, sample_weight, incremental=False),
                         incremental=False)

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Run one epoch over ``X, y``, continuing from the current weights.

        The first call initialises the network (and learns the
        standardisation); later calls keep the weights, the standardisation
        and the optimiser's state. Early stopping does not apply.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps * n_step_features) or \
                (n_samples, n_steps, n_step_features)
            Sequences, as in :meth:`fit`.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets, as in :meth:`fit`.
        sample_weight : array-like of shape (n_samples,), default=None
            As in :meth:`fit`.

        Returns
        -------
        self : RNNRegressor
            The estimator, trained one more epoch.
        """
        return self._fit(*self._array_batches(X, y, sample_weight, incremental=True),
                         incremental=True)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_batches(self, batches):
        """Fit the network to a batch source instead of arrays.

        Training asks ``batches`` for one mini-batch at a time, so the samples
        need not be held in memory all at once: the forecaster cuts the
        windows of a long series only when a batch asks for them. On an
        :class:`~rnnforecast._core.batches.ArrayBatches` of the arrays that
        :func:`rnnforecast._core.time_major.to_time_major` makes of ``X``
        (oldest step first, not standardised), it fits exactly as
        :meth:`fit` does, standardisation included.

        Parameters
        ----------
        batches : batch source
            Any object with

            - ``n_samples``, ``n_steps``, ``n_features``, ``n_outputs``: ints,
              the samples, the steps of a sequence, the features of a step
              and the targets of a sample;
            - ``take(idx, dtype) -> (X, missing, Y)``: the samples of the
              integer array ``idx``, time-major: ``X`` of shape
              ``(n_steps, n_features, len(idx))`` in ``dtype`` with missing
              steps set to 0, ``missing`` a bool array of shape
              ``(n_steps, len(idx))``, True where a step is missing (or None
              when none is), and ``Y`` of shape ``(n_outputs, len(idx))`` in
              ``dtype``;
            - ``subset(rows)``: a batch source of the samples in the slice
              ``rows`` (early stopping holds out the last samples with it).

            Predictions are 2-D exactly when ``n_outputs > 1``.

        Returns
        -------
        self : RNNRegressor
            The fitted estimator.

        Examples
        --------
        >>> import numpy as np
        >>> from rnnforecast import RNNRegressor
        >>> from rnnforecast._core.batches import ArrayBatches
        >>> rng = np.random.RandomState(0)
        >>> X = rng.standard_normal((8, 1, 200))   # 200 sequences of 8 steps, time-major
        >>> batches = ArrayBatches(X, None, X[2])  # target: the value seen 5 steps ago
        >>> model = RNNRegressor(hidden_size=16, learning_rate_init=0.01, random_state=0)
        >>> model.fit_batches(batches).n_steps_
        8
        >>> model.predict(X.transpose(2, 0, 1)[:3]).shape
        (3,)
        """
        self._check_batches(batches, incremental=False)
        return self._fit(batches, batches.n_outputs > 1, incremental=False)

    def partial_fit_batches(self, batches):
        """Run one epoch over a batch source, continuing from the current
        weights: :meth:`partial_fit` for the ``batches`` of
        :meth:`fit_batches`.

        Parameters
        ----------
        batches : batch source
            See :meth:`fit_batches`.

        Returns
        -------
        self : RNNRegressor
            The estimator, trained one more epoch.
        """
        # As scikit-learn does for partial_fit: the parameters are validated
        # by the call that starts the network, not again every epoch (which
        # cost about a fifth of a forecaster's fit on a short series).
        if hasattr(self, "_network"):
            with config_context(skip_parameter_validation=True):
                return self._partial_fit_batches(batches)
        return self._partial_fit_batches(batches)

    @_fit_context(prefer_skip_nested_validation=True)
    def _partial_fit_batches(self, batches):
        self._check_batches(batches, incremental=True)
        return self._fit(batches, batches.n_outputs > 1, incremental=True)

    def release_buffers(self):
        """Free the arrays training computes its batches in.

        The network keeps them between calls, so that :meth:`partial_fit`
        one epoch at a time allocates nothing per batch: several megabytes
        for a few thousand parameters. :meth:`fit` frees them when it ends;
        after the last :meth:`partial_fit`, call this. A later call makes
        them again, and trains and predicts exactly as without it.

        Returns
        -------
        self : RNNRegressor
            The estimator, without the buffers.
        """
        if hasattr(self, "_network"):
            self._network.release_buffers()
        return self

    def predict(self, X):
        """Predict targets for sequences ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps * n_step_features) or \
                (n_samples, n_steps, n_step_features)
            Sequences of the fitted ``n_steps_`` and ``n_step_features_``, as
            in :meth:`fit`; NaN marks a missing step.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            The predictions in float64, with the shape of the ``y`` given to fit.
        """
        X_time, missing, _ = self.to_time_major(X)
        return self._predict_time_major(X_time, missing)

    def _predict_windows(self, X):
        """:meth:`predict` for windows the package built and checked, without
        scikit-learn's input validation (about a millisecond a call, which a
        forecaster's backtest after every epoch adds up): the same numbers.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_steps_ * n_step_features_)
            Floats, NaN where a step is missing; no feature names.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        X_time, missing = self._sequences_time_major(X, self._architecture["step_order"],
                                                     np.float64)
        return self._predict_time_major(self._standardization().inputs(X_time, missing),
                                        missing)

    def _predict_time_major(self, X_time, missing):
        """Predictions for standardised time-major inputs, in float64."""
        with blas_threads(1):
            y = predict_as(self._network, np.float64, X_time, missing, batch_size=256)
        y = self._standardization().restore_targets(y).T
        return y if self._y_2d else y[:, 0]

    def to_time_major(self, X, y=None):
        """Sequences (and targets) checked and laid out as :attr:`network_`
        runs on them: oldest step first, standardised as fit learned
        (``input_mean_`` ... ``target_scale_``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_steps * n_step_features) or \
                (n_samples, n_steps, n_step_features)
            Sequences, as in :meth:`predict`.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Their targets, standardised as fit learned; None for none.

        Returns
        -------
        X_time : ndarray of shape (n_steps, n_step_features, n_samples)
            The sequences in float64, missing steps set to 0.
        missing : ndarray of bool, shape (n_steps, n_samples), or None
            True where a step is missing (held a NaN); None when none is.
        Y : ndarray of shape (n_outputs, n_samples), or None
            The targets in float64; None without ``y``.
        """
        check_is_fitted(self)
        y = "no_validation" if y is None else y
        X_time, missing, Y, _ = self._validate_sequences(X, y, reset=False, dtype=np.float64)
        standardization = self._standardization()
        return (standardization.inputs(X_time, missing), missing,
                None if Y is None else standardization.targets(Y))

    @property
    def network_(self):
        """The fitted network itself (see the class docstring)."""
        check_is_fitted(self)
        return self._network

    @property
    def weights_(self):
        """Copies of the learned parameters (see the class docstring)."""
        check_is_fitted(self)
        return {name: w.copy() for name, w in self._network.weights.items()}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.multi_output = True
        return tags

    # -- input ------------------------------------------------------------
    def _validate_sequences(self, X, y="no_validation", *, reset, dtype):
        """Validate ``X`` (and ``y``, unless "no_validation") and return the
        time-major arrays ``X_time, missing`` and, with ``y``, ``Y, y_2d``."""
        if not hasattr(X, "ndim") and not hasattr(X, "tocsr") and not hasattr(X, "columns"):
            X = np.asarray(X)
        step_features = None
        if getattr(X, "ndim", 2) == 3:
            step_features = X.shape[2]
            X = np.reshape(X, (X.shape[0], -1))
        elif getattr(X, "ndim", 2) > 3:
            raise ValueError(f"X must be 2-D or 3-D; got an array with {X.ndim} dimensions.")
        kwargs = dict(reset=reset, ensure_all_finite="allow-nan", dtype=FLOAT_DTYPES)
        if isinstance(y, str) and y == "no_validation":
            X = validate_data(self, X, **kwargs)
            y = None
        else:
            X, y = validate_data(self, X, y, multi_output=True, y_numeric=True, **kwargs)
        for name, values in (("X", X), ("y", y)):
            if values is not None:
                check_trainable_range(values, name, dtype)
        if reset:
            F = self.n_step_features if step_features is None else step_features
            if X.shape[1] % F:
                raise ValueError(
                    f"X has {X.shape[1]} columns, which is not a multiple of "
                    f"n_step_features={F}; expected n_steps * n_step_features columns."
                )
            self.n_step_features_ = F
            self.n_steps_ = X.shape[1] // F
        elif step_features is not None and step_features != self.n_step_features_:
            raise ValueError(
                f"X has {step_features} features per step, but {type(self).__name__} "
                f"was fitted with {self.n_step_features_}."
            )
        elif step_features is None and y is not None and (
                self.n_step_features != self.n_step_features_):
            raise ValueError(
                f"n_step_features changed from {self.n_step_features_} to "
                f"{self.n_step_features} since the network was fitted; partial_fit and "
                "warm_start=True continue that network, so call fit with "
                "warm_start=False to start a new one."
            )
        order = self.step_order if reset else self._architecture["step_order"]
        X_time, missing = self._sequences_time_major(X, order, dtype)
        if y is None:
            return X_time, missing, None, None
        Y = np.array(y.reshape(len(y), -1).T, dtype=dtype, order="C")
        return X_time, missing, Y, y.ndim == 2

    def _sequences_time_major(self, X, order, dtype):
        """Checked rows ``X`` of ``n_steps_ * n_step_features_`` columns, in
        step order ``order``, as time-major ``(X_time, missing)``."""
        X3 = X.reshape(X.shape[0], self.n_steps_, self.n_step_features_)
        if order == "newest_first":
            X3 = X3[:, ::-1]
        return to_time_major(X3, dtype)

    def _array_batches(self, X, y, sample_weight, incremental):
        """Validate ``X, y, sample_weight``: the batch source of the arrays,
        whether ``y`` is 2-D, and the weights (None for None)."""
        X_time, missing, Y, y_2d = self._validate_sequences(
            X, y, reset=self._starts_anew(incremental), dtype=np.dtype(self.dtype))
        if sample_weight is not None:
            sample_weight = _check_sample_weight(sample_weight, Y.T, dtype=np.float64,
                                                 ensure_non_negative=True)
        return ArrayBatches(X_time, missing, Y), y_2d, sample_weight

    def _check_batches(self, batches, incremental):
        """Record the sequence shape of a batch source on a first pass (as
        validation does for arrays); check it on later ones."""
        shape = (batches.n_steps, batches.n_features)
        if batches.n_samples < 1:
            raise ValueError("the batch source holds no samples; fit needs at least one.")
        if self._starts_anew(incremental):
            self.n_steps_, self.n_step_features_ = shape
            self.n_features_in_ = batches.n_steps * batches.n_features
            if hasattr(self, "feature_names_in_"):  # of the arrays of an earlier fit
                del self.feature_names_in_
        elif shape != (self.n_steps_, self.n_step_features_):
            raise ValueError(
                f"the batch source has {shape[0]} steps of {shape[1]} features, but "
                f"{type(self).__name__} was fitted on {self.n_steps_} steps of "
                f"{self.n_step_features_}; call fit_batches to start a new network."
            )

    # -- training ---------------------------------------------------------
    def _starts_anew(self, incremental):
        """Whether this fit initialises a new network."""
        return not hasattr(self, "_network") or not (self.warm_start or incremental)

    def _fit(self, data, y_2d, sample_weight=None, *, incremental):
        """Train on the batch source ``data`` (its samples weighted by
        ``sample_weight``): the body of every fit method. ``incremental``:
        one epoch from the current weights and optimiser state; ``y_2d``:
        predictions are 2-D. A KeyboardInterrupt propagates after the
        completed epochs are recorded (see the class's Notes)."""
        anew = self._starts_anew(incremental)
        try:
            run = self._run_epochs(data, y_2d, sample_weight, incremental, anew)
        except KeyboardInterrupt:  # before the epochs, which undo their own
            if anew:
                self._forget_fit()
            raise
        if not incremental:  # a whole fit: no epoch follows on its buffers
            self.release_buffers()
        self._record(run)
        if run.interrupted:
            kept = f"the {run.n_epochs} completed epoch(s) of this call are kept"
            if anew and not run.n_epochs:
                self._forget_fit()
                kept = "no epoch completed; the estimator is unfitted"
            raise KeyboardInterrupt(f"{type(self).__name__}: training interrupted ({kept})")
        return self

    def _run_epochs(self, data, y_2d, sample_weight, incremental, anew):
        """Start (``anew``) or continue the network and train it: the
        :class:`._epochs.EpochsRun`."""
        with blas_threads(1):
            dtype = np.dtype(self.dtype)
            validation = validation_weight = None
            if self.early_stopping and not incremental:
                train, held_out = split_validation(data, self.validation_fraction)
                validation, validation_weight = data.subset(held_out), _rows(sample_weight,
                                                                              held_out)
                data, sample_weight = data.subset(train), _rows(sample_weight, train)
                if sample_weight is not None and not sample_weight.sum() > 0:
                    raise ValueError("the rows before the early-stopping rows have zero "
                                     "sample_weight; fit would train on nothing.")
            if anew:
                self._initialize(data, sample_weight, y_2d, dtype)
            else:
                self._check_continuable(data.n_outputs, dtype)
            standardization = self._standardization()
            data = standardization.wrap(data)
            if validation is not None:
                validation = standardization.wrap(validation)
            if not incremental or self._optimizer is None:
                optimizer = make_optimizer(self.solver, self._network.params,
                                           self.learning_rate_init, self.momentum)
            else:
                optimizer = self._optimizer
                optimizer.learning_rate = self.learning_rate_init
            loop = EpochLoop(
                max_iter=self.max_iter, batch_size=self.batch_size,
                learning_rate_init=self.learning_rate_init, alpha=self.alpha,
                clip_norm=self.clip_norm, bptt_steps=self.bptt_steps, tol=self.tol,
                n_iter_no_change=self.n_iter_no_change, verbose=self.verbose,
            )
            # Worker processes (n_jobs >= 2) live for the whole fit: starting
            # and ending them costs tens of milliseconds.
            with column_split(self._network, self.n_jobs) as gradient:
                return loop.run(
                    self._network, optimizer, data, incremental=incremental,
                    rng=self._rng if self.shuffle else None, gradient=gradient,
                    validation=validation, sample_weight=sample_weight,
                    validation_weight=validation_weight, first_epoch=self.n_iter_ + 1,
                    best_loss=self.best_loss_, best_validation_score=self.best_validation_score_,
                )

    def _record(self, run):
        """Set the fitted attributes from the epochs ``run``."""
        self._optimizer = run.optimizer
        self.n_iter_ += run.n_epochs
        self.t_ += run.n_samples_seen
        self.loss_curve_ += run.losses
        self.grad_norm_curve_ += run.grad_norms
        self.clipped_curve_ += run.clipped_fractions
        if run.validation_scores:
            self.validation_scores_ += run.validation_scores
        self.best_loss_ = run.best_loss
        self.best_validation_score_ = run.best_validation_score
        if run.diverged:  # and stays so when a warm start continues the network
            self.diverged_ = True

    def _forget_fit(self):
        """Unfitted again: no fitted attribute (scikit-learn's test of a fit:
        a public attribute ending in "_") and no network (so the next fit
        starts anew and replaces the rest of the training state)."""
        for name in [name for name in vars(self) if name.endswith("_")
                     and not name.startswith("__")]:
            delattr(self, name)
        if hasattr(self, "_network"):
            del self._network

    def _initialize(self, data, sample_weight, y_2d, dtype):
        """A new network for the batch source ``data``, and the
        standardisation learned from it."""
        n_outputs = data.n_outputs
        learned = Standardization.learn(data, sample_weight, dtype=dtype,
                                        inputs=self.standardize_inputs,
                                        target=self.standardize_target)
        self.input_mean_, self.input_scale_ = learned.input_mean, learned.input_scale
        self.target_mean_, self.target_scale_ = learned.target_mean, learned.target_scale
        self._rng = check_random_state(self.random_state)
        self._network = RecurrentNetwork(
            self.cell, self.n_step_features_, self.hidden_size, self.num_layers,
            n_outputs, self.activation, dtype,
        ).initialize(self._rng)
        self._architecture = {name: getattr(self, name) for name in _ARCHITECTURE}
        self._optimizer = None
        self._y_2d = y_2d
        self.n_outputs_ = n_outputs
        self.n_iter_ = 0
        self.t_ = 0
        self.loss_curve_ = []
        self.grad_norm_curve_ = []
        self.clipped_curve_ = []
        self.best_loss_ = np.inf
        self.validation_scores_ = [] if self.early_stopping else None
        self.best_validation_score_ = -np.inf if self.early_stopping else None
        self.diverged_ = False

    def _standardization(self):
        """The maps between the data and what the network reads."""
        return Standardization(self.input_mean_, self.input_scale_, self.target_mean_,
                               self.target_scale_)

    def _check_continuable(self, n_outputs, dtype):
        """warm_start and partial_fit continue the fitted network: its shape
        must not have changed since."""
        how = "partial_fit" if not self.warm_start else "warm_start=True"
        changed = [
            f"{name} from {old!r} to {getattr(self, name)!r}"
            for name, old in self._architecture.items() if getattr(self, name) != old
        ]
        if n_outputs != self.n_outputs_:
            changed.append(f"the number of outputs from {self.n_outputs_} to {n_outputs}")
        if dtype != self._network.dtype:
            changed.append(f"dtype from {self._network.dtype.name!r} to {dtype.name!r}")
        if changed:
            raise ValueError(
                f"{how} continues the fitted network, but {', '.join(changed)} since it "
                "was fitted; call fit with warm_start=False to start a new network."
            )
        if self.early_stopping and self.validation_scores_ is None:
            self.validation_scores_ = []
            self.best_validation_score_ = -np.inf


def _rows(sample_weight, rows):
    """The weights of the samples in the slice ``rows`` (None for None)."""
    return None if sample_weight is None else sample_weight[rows]
