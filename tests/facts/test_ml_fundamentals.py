"""ml_fundamentals: the reference solution and the short answers agree with scikit-learn,
pandas, tf.nn and Keras (they define the facts the assignment teaches)."""
import inspect
import math
import warnings

import numpy as np
import pytest

ASSIGNMENT = "ml_fundamentals"

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def _score_cases():
    rng = np.random.default_rng(7)
    cases = []
    for n, decimals in [(200, None), (300, 1), (150, 0), (40, 2)]:
        y = (rng.random(n) < 0.4).astype(int)
        s = rng.normal(size=n) + y
        cases.append((y, s if decimals is None else np.round(s, decimals)))
    cases.append((np.array([0, 1, 1, 0, 1]), np.full(5, 0.7)))  # every score tied
    cases.append((np.array([True, False, True, False]), np.array([0.2, 0.9, 0.1, 0.8])))  # AUC 0
    return cases


# -- 1. encoding --------------------------------------------------------------------------

def test_one_hot_matches_a_fitted_encoder(solution):
    from sklearn.preprocessing import OneHotEncoder
    labels = np.random.default_rng(0).integers(0, 5, size=40)
    encoder = OneHotEncoder(categories=[list(range(7))], sparse_output=False).fit(labels.reshape(-1, 1))
    np.testing.assert_array_equal(solution["one_hot"](labels, 7), encoder.transform(labels.reshape(-1, 1)))


def test_get_dummies_answer_is_b_and_the_other_choices_are_false(solution):
    pd = pytest.importorskip("pandas")
    from scipy import sparse
    from sklearn.preprocessing import OneHotEncoder
    assert solution["ANSWER_GET_DUMMIES"] == "b"
    train = pd.DataFrame({"colour": ["red", "green", "blue", "green", "red", "red"]})
    test = pd.DataFrame({"colour": ["green", "green", "purple"]})
    # b: get_dummies takes its columns from the data; the fitted encoder keeps the training columns
    assert list(pd.get_dummies(train).columns) != list(pd.get_dummies(test).columns)
    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(train)
    encoded = encoder.transform(test)
    assert encoded.shape == (3, 3) and encoded[2].sum() == 0  # the unseen colour is all zeros
    with pytest.raises(ValueError):  # the default handle_unknown="error" refuses it
        OneHotEncoder().fit(train).transform(test)
    # a is false: get_dummies is dense by default, OneHotEncoder is sparse by default
    assert not any(isinstance(dtype, pd.SparseDtype) for dtype in pd.get_dummies(train).dtypes)
    assert sparse.issparse(OneHotEncoder().fit_transform(train))
    # c is false: neither drops a category by default
    assert pd.get_dummies(train).shape[1] == 3 and OneHotEncoder().fit(train).drop is None
    # d is false: both order categories lexicographically, not by frequency
    assert list(OneHotEncoder().fit(train).categories_[0]) == ["blue", "green", "red"]
    assert list(pd.get_dummies(train).columns) == ["colour_blue", "colour_green", "colour_red"]


def test_multilabel_answer_is_two_logistic_classifiers(solution):
    from sklearn.linear_model import LogisticRegression
    from sklearn.multioutput import MultiOutputClassifier
    assert solution["ANSWER_MULTILABEL"] == "b"
    rng = np.random.default_rng(1)
    x = rng.normal(size=(200, 4))
    y = np.stack([x[:, 0] > 0, x[:, 1] > 0], axis=1).astype(int)  # indoor?, day?
    model = MultiOutputClassifier(LogisticRegression()).fit(x, y)
    both = model.predict(x)
    assert both.shape == (200, 2) and (both.sum(axis=1) == 2).any()  # two labels at once: not softmax


# -- 2. metrics ---------------------------------------------------------------------------

def test_confusion_counts_are_sklearns_tn_fp_fn_tp(solution):
    rng = np.random.default_rng(2)
    for _ in range(5):
        y, p = rng.integers(0, 2, 60), rng.integers(0, 2, 60)
        expected = sklearn_metrics.confusion_matrix(y, p, labels=[0, 1]).ravel()
        assert tuple(solution["confusion_counts"](y, p)) == tuple(int(v) for v in expected)
    # FP is an actual negative predicted positive (the notes swap FP and FN)
    assert tuple(solution["confusion_counts"]([0], [1])) == (0, 1, 0, 0)


@pytest.mark.parametrize("case", range(5))
def test_precision_recall_f1_match_sklearn_with_zero_division_0(solution, case):
    rng = np.random.default_rng(3 + case)
    y = rng.integers(0, 2, 50)
    p = [rng.integers(0, 2, 50), np.zeros(50, int), y, 1 - y, rng.integers(0, 2, 50)][case]
    if case == 4:
        y = np.zeros(50, int)  # no actual positive
    got = solution["precision_recall_f1"](y, p)
    want = (sklearn_metrics.precision_score(y, p, zero_division=0),
            sklearn_metrics.recall_score(y, p, zero_division=0),
            sklearn_metrics.f1_score(y, p, zero_division=0))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_roc_curve_matches_sklearn_without_dropping_points(solution):
    for y, s in _score_cases():
        fpr, tpr = solution["roc_curve_points"](y, s)
        want_fpr, want_tpr, thresholds = sklearn_metrics.roc_curve(y, s, drop_intermediate=False)
        assert np.isinf(thresholds[0])
        np.testing.assert_allclose(fpr, want_fpr, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(tpr, want_tpr, rtol=1e-12, atol=1e-12)


def test_roc_auc_matches_sklearn_with_ties(solution):
    for y, s in _score_cases():
        assert solution["roc_auc"](y, s) == pytest.approx(sklearn_metrics.roc_auc_score(y, s), rel=1e-12, abs=1e-12)
    assert solution["roc_auc"]([0, 1, 1, 0, 1], np.full(5, 0.7)) == 0.5


def test_single_class_raises_where_sklearn_warns_and_returns_nan(solution):
    from sklearn.exceptions import UndefinedMetricWarning
    with pytest.warns(UndefinedMetricWarning):
        assert np.isnan(sklearn_metrics.roc_auc_score(np.ones(5), np.arange(5.0)))
    for name in ("roc_curve_points", "roc_auc"):
        with pytest.raises(ValueError):
            solution[name](np.ones(5), np.arange(5.0))


def test_infinite_scores_rank_like_extreme_finite_ones(solution):
    """Scores may be +-inf (the prompt): the curve and the area equal scikit-learn's on the same
    scores with the infinities replaced by finite values beyond all others (same order, same ties);
    scikit-learn itself refuses infinite scores; inf - inf is nan (why ties are found with ==)."""
    rng = np.random.default_rng(11)
    y = (rng.random(50) < 0.5).astype(int)
    s = np.round(rng.normal(size=50) + y, 1)
    s[rng.choice(50, size=14, replace=False)] = np.r_[np.full(8, np.inf), np.full(6, -np.inf)]
    finite = np.where(np.isposinf(s), 1e6, np.where(np.isneginf(s), -1e6, s))
    fpr, tpr = solution["roc_curve_points"](y, s)
    want_fpr, want_tpr, _ = sklearn_metrics.roc_curve(y, finite, drop_intermediate=False)
    np.testing.assert_allclose(fpr, want_fpr, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(tpr, want_tpr, rtol=1e-12, atol=1e-12)
    assert solution["roc_auc"](y, s) == pytest.approx(sklearn_metrics.roc_auc_score(y, finite), rel=1e-12)
    assert solution["roc_auc"]([0, 1, 0, 1], [np.inf, np.inf, -np.inf, 0.0]) == 0.625
    with warnings.catch_warnings():  # scikit-learn's own finiteness test warns on the way
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="infinity"):
            sklearn_metrics.roc_auc_score(y, s)
        with pytest.raises(ValueError, match="infinity"):
            sklearn_metrics.roc_curve(y, s)
    with np.errstate(invalid="ignore"):
        assert np.isnan(np.diff(np.array([np.inf, np.inf])))[0]


# -- 3. k-fold ----------------------------------------------------------------------------

@pytest.mark.parametrize("n,k", [(23, 5), (10, 3), (7, 7), (100, 4), (11, 2), (19, 6)])
def test_kfold_indices_equal_sklearn_kfold(solution, n, k):
    from sklearn.model_selection import KFold
    ours = solution["kfold_indices"](n, k)
    theirs = list(KFold(n_splits=k).split(np.zeros(n)))
    assert len(ours) == len(theirs)
    for (train, test), (want_train, want_test) in zip(ours, theirs):
        np.testing.assert_array_equal(train, want_train)
        np.testing.assert_array_equal(test, want_test)


def test_kfold_refuses_bad_k_like_sklearn(solution):
    from sklearn.model_selection import KFold
    with pytest.raises(ValueError):
        list(KFold(n_splits=6).split(np.zeros(5)))
    with pytest.raises(ValueError):
        KFold(n_splits=1)
    for k in (1, 6):
        with pytest.raises(ValueError):
            solution["kfold_indices"](5, k)


# -- 4. voting ----------------------------------------------------------------------------

def test_votes_match_sklearn_voting_classifier(solution):
    from sklearn.datasets import make_classification
    from sklearn.ensemble import VotingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.tree import DecisionTreeClassifier
    x, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3, random_state=0)
    members = [("lr", LogisticRegression(max_iter=500)), ("nb", GaussianNB()),
               ("tree", DecisionTreeClassifier(max_depth=3, random_state=0))]
    fitted = [m.fit(x, y) for _, m in members]
    weights = [1.0, 2.0, 0.5]
    hard = VotingClassifier(members, voting="hard").fit(x, y)
    np.testing.assert_array_equal(solution["hard_vote"](np.stack([m.predict(x) for m in fitted])), hard.predict(x))
    soft = VotingClassifier(members, voting="soft", weights=weights).fit(x, y)
    labels, mean = solution["soft_vote"](np.stack([m.predict_proba(x) for m in fitted]), weights)
    np.testing.assert_allclose(mean, soft.predict_proba(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(labels, soft.predict(x))


def test_hard_vote_ties_go_to_the_smallest_label_as_in_sklearn(solution):
    from sklearn.dummy import DummyClassifier
    from sklearn.ensemble import VotingClassifier
    x, y = np.zeros((3, 1)), np.array([0, 1, 2])
    for first, second in [(2, 1), (1, 2), (0, 2), (2, 0)]:
        members = [("first", DummyClassifier(strategy="constant", constant=first)),
                   ("second", DummyClassifier(strategy="constant", constant=second))]
        sklearn_label = VotingClassifier(members, voting="hard").fit(x, y).predict(x[:1])[0]
        assert sklearn_label == min(first, second)
        assert solution["hard_vote"](np.array([[first], [second]]))[0] == sklearn_label


# -- 5. MLP -------------------------------------------------------------------------------

def test_mlp_shapes_and_forward_match_keras(solution):
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(50, activation="relu"),
                              keras.layers.Dense(3, activation="relu")])
    kernel_h, bias_h, kernel_o, bias_o = (w.shape for w in model.get_weights())
    x = np.random.default_rng(5).normal(size=(32, 10)).astype("float32")
    y = np.asarray(model(x))
    assert (solution["SHAPE_X"], solution["SHAPE_W_H"], solution["SHAPE_B_H"], solution["SHAPE_W_O"],
            solution["SHAPE_B_O"], solution["SHAPE_Y"]) == (x.shape, kernel_h, bias_h, kernel_o, bias_o, y.shape)
    rng = np.random.default_rng(6)
    weights = [rng.normal(size=w.shape).astype("float32") for w in model.get_weights()]
    model.set_weights(weights)
    ours = solution["mlp_forward"](x.astype("float64"), *[w.astype("float64") for w in weights])
    np.testing.assert_allclose(ours, np.asarray(model(x)), rtol=1e-4, atol=1e-4)


# -- 6. initialisation --------------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["glorot", "he", "lecun"])
def test_init_formulas_match_keras_initializers(solution, scheme):
    keras = pytest.importorskip("keras")
    fan_in, fan_out = 300, 700
    normal = {"glorot": keras.initializers.GlorotNormal, "he": keras.initializers.HeNormal,
              "lecun": keras.initializers.LecunNormal}[scheme](seed=11)((fan_in, fan_out))
    uniform = {"glorot": keras.initializers.GlorotUniform, "he": keras.initializers.HeUniform,
               "lecun": keras.initializers.LecunUniform}[scheme](seed=12)((fan_in, fan_out))
    normal, uniform = np.asarray(normal, dtype=np.float64), np.asarray(uniform, dtype=np.float64)
    variance = solution["init_variance"](scheme, fan_in, fan_out)
    limit = solution["uniform_limit"](scheme, fan_in, fan_out)
    # 210,000 draws: the empirical std is within ~0.2 % of the true one
    assert normal.std() == pytest.approx(math.sqrt(variance), rel=0.01)
    assert uniform.std() == pytest.approx(math.sqrt(variance), rel=0.01)
    assert np.abs(uniform).max() <= limit and np.abs(uniform).max() > 0.999 * limit
    # Keras truncates the normal at 2 standard deviations (of the untruncated distribution)
    assert np.abs(normal).max() < 2.3 * math.sqrt(variance)


# -- 7. activations -----------------------------------------------------------------------

_EXTREMES = np.array([-1000.0, -745.0, -710.0, -100.0, -30.0, -1.5, -1e-8, 0.0, 1e-8, 0.7, 30.0, 100.0,
                      710.0, 745.0, 1000.0])


@pytest.fixture(scope="module")
def activations(solution):
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    x = np.concatenate([_EXTREMES, np.random.default_rng(8).normal(0, 5, 200)])
    t = tf.constant(x, dtype=tf.float64)
    cases = {
        "sigmoid": (solution["sigmoid"](x), tf.nn.sigmoid(t)),
        "tanh": (solution["tanh"](x), tf.nn.tanh(t)),
        "relu": (solution["relu"](x), tf.nn.relu(t)),
        "leaky_relu": (solution["leaky_relu"](x), tf.nn.leaky_relu(t)),  # tf default alpha 0.2
        "leaky_relu_0.01": (solution["leaky_relu"](x, alpha=0.01), tf.nn.leaky_relu(t, alpha=0.01)),
        "elu": (solution["elu"](x), tf.nn.elu(t)),
        "elu_0.5": (solution["elu"](x, alpha=0.5), keras.activations.elu(t, alpha=0.5)),
        "selu": (solution["selu"](x), tf.nn.selu(t)),
        "softplus": (solution["softplus"](x), tf.nn.softplus(t)),
        "gelu": (solution["gelu"](x), tf.nn.gelu(t, approximate=False)),
        "gelu_keras_default": (solution["gelu"](x), keras.activations.gelu(t)),
        "swish": (solution["swish"](x), tf.nn.silu(t)),
        "swish_1.7": (solution["swish"](x, beta=1.7), tf.nn.silu(t, beta=1.7)),
        "mish": (solution["mish"](x), keras.activations.mish(t)),
    }
    return {name: (np.asarray(ours), np.asarray(theirs)) for name, (ours, theirs) in cases.items()}


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu_0.01", "elu", "elu_0.5",
                                  "selu", "softplus", "gelu", "gelu_keras_default", "swish", "swish_1.7", "mish"])
def test_activation_matches_tensorflow_in_float64_including_extremes(activations, name):
    ours, theirs = activations[name]
    assert ours.dtype == np.float64 and np.isfinite(ours).all()
    # TF's float64 GELU and its swish with beta != 1 (beta is cast to float32) are only accurate to
    # ~5e-7 relative; the tests below pin those two to exact float64 formulas instead
    rtol = 1e-6 if name in ("gelu", "gelu_keras_default", "swish_1.7") else 1e-7
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=1e-12)


def test_gelu_and_swish_are_exact_in_float64(solution):
    from scipy.special import expit
    x = np.concatenate([_EXTREMES, np.random.default_rng(8).normal(0, 5, 200)])
    exact_gelu = np.array([0.5 * v * math.erfc(-v / math.sqrt(2.0)) for v in x])
    np.testing.assert_allclose(solution["gelu"](x), exact_gelu, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(solution["swish"](x, beta=1.7), x * expit(1.7 * x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(solution["mish"](x), x * np.tanh(np.logaddexp(0, x)), rtol=1e-12, atol=1e-12)


def test_activations_do_not_overflow(solution):
    x = np.array([-1000.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow to 0 is harmless
        for name in ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "softplus", "gelu", "swish", "mish"):
            solution[name](x)


def test_overflow_claims_of_the_prompt():
    """Section 7's claims: 1 / (1 + exp(-x)) overflows at -1000 but gives the right value 0 (graded
    by values, so accepted); exp(x) / (1 + exp(x)) is nan at 1000, log(1 + exp(x)) is inf, a mask
    product 0 * inf is nan, and np.where computes the branch it does not choose (it warns)."""
    x = np.array([-1000.0, -745.0, 1000.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = 1.0 / (1.0 + np.exp(-x))
        np.testing.assert_allclose(naive, [0.0, 0.0, 1.0], rtol=1e-7, atol=1e-12)
        assert np.isnan(np.exp(1000.0) / (1.0 + np.exp(1000.0)))
        assert np.isinf(np.log(1.0 + np.exp(1000.0)))
        assert np.isnan((1000.0 <= 0) * (np.exp(1000.0) - 1.0))
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.where(x > 0, x, np.exp(x * -1.0))
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        1.0 / (1.0 + np.exp(-x))


def test_keras_defaults_stated_in_the_prompt():
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    assert inspect.signature(keras.activations.gelu).parameters["approximate"].default is False
    assert inspect.signature(tf.nn.gelu).parameters["approximate"].default is False
    assert inspect.signature(keras.activations.leaky_relu).parameters["negative_slope"].default == 0.2
    assert keras.layers.LeakyReLU().negative_slope == pytest.approx(0.3)
    # the tanh approximation of GELU differs from the exact one by up to about 5e-4
    x = np.linspace(-6, 6, 20001)
    gap = np.abs(np.asarray(tf.nn.gelu(x, approximate=True)) - np.asarray(tf.nn.gelu(x, approximate=False))).max()
    assert 4e-4 < gap < 5e-4, gap


def test_selu_constants_are_kerass(solution):
    tf = pytest.importorskip("tensorflow")
    one = tf.constant([1.0], dtype=tf.float64)
    minus_inf_ish = tf.constant([-1000.0], dtype=tf.float64)
    assert float(tf.nn.selu(one)[0]) == pytest.approx(solution["SELU_SCALE"], rel=1e-15)
    assert float(tf.nn.selu(minus_inf_ish)[0]) == pytest.approx(-solution["SELU_SCALE"] * solution["SELU_ALPHA"],
                                                                rel=1e-15)


# -- 8. short answers ---------------------------------------------------------------------

def test_tree_numbers(solution):
    assert 2 ** 19 < 10 ** 6 <= 2 ** 20
    assert solution["TREE_DEPTH"] == 20 == math.ceil(math.log2(1e6))
    ratio = (1e7 * math.log2(1e7)) / (1e6 * math.log2(1e6))
    assert ratio == pytest.approx(70 / 6) and round(ratio, 1) == 11.7
    assert solution["TIME_RATIO"] == pytest.approx(ratio, rel=1e-12)


def test_tree_depth_of_one_instance_per_leaf():
    from sklearn.tree import DecisionTreeRegressor
    # a tree with one instance per leaf has m leaves, so its depth is at least ceil(log2 m); when every
    # split halves the instances (here: y = x, the best squared-error split is the median) it is exactly that
    m = 1000
    x = np.arange(m, dtype=np.float64).reshape(-1, 1)
    tree = DecisionTreeRegressor(random_state=0).fit(x, x.ravel())
    assert tree.get_n_leaves() == m
    assert tree.get_depth() == math.ceil(math.log2(m)) == 10


def test_overfitting_and_bias_answers(solution):
    from sklearn.linear_model import Ridge
    from sklearn.metrics import mean_squared_error
    assert solution["OVERFITTING_REMEDIES"] == {"a", "b", "c"}
    assert solution["ANSWER_RIDGE"] == "d"
    # a Ridge model with a huge alpha: training and validation errors equal and high (high bias);
    # lowering alpha lowers both
    rng = np.random.default_rng(10)
    x = rng.normal(size=(400, 5))
    y = x @ np.array([3.0, -2.0, 1.0, 0.5, 4.0]) + rng.normal(scale=0.5, size=400)
    errors = {}
    for alpha in (1e5, 1.0):
        model = Ridge(alpha=alpha).fit(x[:300], y[:300])
        errors[alpha] = (mean_squared_error(y[:300], model.predict(x[:300])),
                         mean_squared_error(y[300:], model.predict(x[300:])))
    train_big, val_big = errors[1e5]
    assert val_big == pytest.approx(train_big, rel=0.3) and train_big > 10
    assert errors[1.0][0] < 0.5 and errors[1.0][1] < 0.5


def test_svm_underfitting_answer(solution):
    from sklearn.datasets import make_moons
    from sklearn.svm import SVC
    assert solution["SVM_UNDERFIT_FIX"] == {"a", "c"}
    x, y = make_moons(n_samples=300, noise=0.15, random_state=0)
    base = SVC(kernel="rbf", gamma=0.01, C=0.1).fit(x, y).score(x, y)
    assert SVC(kernel="rbf", gamma=1.0, C=0.1).fit(x, y).score(x, y) > base      # raise gamma
    assert SVC(kernel="rbf", gamma=0.01, C=100.0).fit(x, y).score(x, y) > base   # raise C
    assert SVC(kernel="rbf", gamma=0.001, C=0.01).fit(x, y).score(x, y) <= base  # lowering them does not help
