"""Hidden checks for ml_fundamentals: each probe builds seeded hidden inputs (ties, infinite
scores, single-class labels, uneven folds, extreme activation inputs), calls the student's NumPy
functions and returns what they computed. Only NumPy is needed here, so grading stays cheap.

Evidence: every check is judged on the values the student's functions compute on these inputs
(indices, counts, rates, areas, activations), which cannot be made up without computing them.
The few predictable outputs (a ValueError raised or not, the number of folds) are extra
requirements beside those values, never a check's only output. Nothing is trusted that the
student's process could claim: no np.errstate inside the probe (an overflow that still gives
the right value is accepted, as the prompt says; one that gives inf or nan is caught by its
values), no "is finite" flag computed there."""
import numpy as np

from autograder import Close, Exact, SameSet, hidden_check

INTS = Exact(check_dtype=False)          # any integer dtype; float counts/labels are refused
FLOATS = Close(rtol=1e-12, atol=1e-12)   # exact arithmetic up to rounding
ACT = Close(rtol=1e-7, atol=1e-12)       # activations: allows other stable formulas, not approximations


def _raises_value_error(function, *args):
    try:
        function(*args)
    except ValueError:
        return True
    except Exception:  # another exception type is not what the task asks for
        return False
    return False


def _choice(answer):
    return str(answer).strip().lower()


def _choices(answer):
    return sorted({str(v).strip().lower() for v in answer})


# -- 1. encoding --------------------------------------------------------------------------

@hidden_check(compare={"default": Exact(), "wider": Exact(), "from_list": Exact(), "empty": Exact()})
def one_hot_encoding(one_hot):
    rng = np.random.default_rng(1101)
    labels = rng.permutation(np.r_[np.arange(6), rng.integers(0, 6, size=30)])
    return {
        "default": one_hot(labels),                                         # 6 classes, all present
        "wider": one_hot(rng.integers(0, 4, size=25), n_classes=7),          # classes 4..6 never seen
        "from_list": one_hot([2, 0, 2, 1, 4], 5),
        "empty": one_hot(np.array([], dtype=np.int64), n_classes=3),
    }


@hidden_check(compare={"answer": Exact()})
def get_dummies_choice(answer):
    return {"answer": _choice(answer)}


@hidden_check(compare={"answer": Exact()})
def multilabel_choice(answer):
    return {"answer": _choice(answer)}


# -- 2. metrics ---------------------------------------------------------------------------

def _label_cases(seed):
    """(y_true, y_pred) pairs: random, imbalanced, nothing predicted positive, no actual positive,
    perfect, booleans and lists."""
    rng = np.random.default_rng(seed)
    y1 = (rng.random(80) < 0.35).astype(np.int64)
    p1 = np.where(rng.random(80) < 0.75, y1, 1 - y1)
    y2 = (rng.random(50) < 0.1).astype(np.int64)
    p2 = (rng.random(50) < 0.3).astype(np.int64)
    y3 = (rng.random(20) < 0.5).astype(np.int64)
    return [
        (y1, p1),
        (y2, p2),
        (y3, np.zeros(20, dtype=np.int64)),          # nothing predicted positive
        (np.zeros(15, dtype=np.int64), (rng.random(15) < 0.4).astype(np.int64)),  # no actual positive
        (np.zeros(6, dtype=np.int64), np.zeros(6, dtype=np.int64)),               # no positive at all
        (y3, y3.copy()),                              # perfect
        (y1.astype(bool), p1.astype(bool)),           # booleans
        ([1, 0, 1, 1, 0, 0, 1], [1, 1, 0, 1, 0, 1, 0]),  # lists
    ]


@hidden_check(compare={"counts": INTS})
def confusion_counts(confusion_counts):
    return {"counts": [[int(v) for v in confusion_counts(y, p)] for y, p in _label_cases(1201)]}


@hidden_check(compare={"values": FLOATS})
def precision_recall_f1(precision_recall_f1):
    return {"values": [[float(v) for v in precision_recall_f1(y, p)] for y, p in _label_cases(1301)]}


def _score_cases(seed):
    """(y_true, scores) pairs; all but the first have tied scores; the last two have infinite
    scores (ties among them), which scikit-learn's roc_curve and roc_auc_score refuse."""
    rng = np.random.default_rng(seed)
    y1 = (rng.random(60) < 0.4).astype(np.int64)
    s1 = rng.normal(size=60) + 1.2 * y1                              # continuous, no ties
    y2 = (rng.random(90) < 0.5).astype(np.int64)
    s2 = np.round(rng.random(90) * 0.6 + 0.3 * y2, 1)               # heavy ties, mixed classes
    y3 = rng.integers(0, 2, size=40)
    s3 = rng.integers(0, 4, size=40).astype(np.float64)              # only 4 distinct scores
    y4 = np.array([0, 1, 1, 0, 1, 0, 0])
    s4 = np.full(7, 0.3)                                             # every score tied
    y5 = np.r_[np.ones(5), np.zeros(8)].astype(np.int64)
    s5 = np.r_[np.linspace(0.0, 0.4, 5), np.linspace(0.5, 1.0, 8)]   # perfectly wrong ranking
    y6 = (rng.random(30) < 0.3)
    s6 = np.round(rng.normal(size=30) + y6, 0)                       # booleans, integer-valued scores
    y7 = (rng.random(40) < 0.5).astype(np.int64)
    s7 = np.round(rng.normal(size=40) + y7, 1)
    s7[rng.choice(40, size=12, replace=False)] = np.r_[np.full(7, np.inf), np.full(5, -np.inf)]
    y8 = np.array([1, 0, 0, 1, 1, 0, 1])
    s8 = np.array([np.inf, -np.inf, np.inf, -np.inf, np.inf, -np.inf, 2.5])    # infinities of both signs only
    return [(y1, s1), (y2, s2), (y3, s3), (y4, s4), (y5, s5), (y6, s6), (y7, s7), (y8, s8)]


def _single_class(function):
    rng = np.random.default_rng(1499)
    scores = rng.random(12)
    return [_raises_value_error(function, np.ones(12, dtype=np.int64), scores),
            _raises_value_error(function, np.zeros(12, dtype=np.int64), scores)]


@hidden_check(compare={"fpr": FLOATS, "tpr": FLOATS, "lengths": INTS, "single_class_raises": Exact()})
def roc_curve_points(roc_curve_points):
    fprs, tprs, lengths = [], [], []
    for y, s in _score_cases(1401):
        fpr, tpr = roc_curve_points(y, s)
        fpr, tpr = np.asarray(fpr, dtype=np.float64).reshape(-1), np.asarray(tpr, dtype=np.float64).reshape(-1)
        fprs.append(fpr)
        tprs.append(tpr)
        lengths.append([fpr.size, tpr.size])
    return {"fpr": np.concatenate(fprs), "tpr": np.concatenate(tprs), "lengths": lengths,
            "single_class_raises": _single_class(roc_curve_points)}


@hidden_check(compare={"auc": Close(rtol=1e-9, atol=1e-12), "single_class_raises": Exact()})
def roc_auc(roc_auc):
    return {"auc": [float(roc_auc(y, s)) for y, s in _score_cases(1501)],
            "single_class_raises": _single_class(roc_auc)}


# -- 3. k-fold ----------------------------------------------------------------------------

@hidden_check(compare={"n_folds": INTS, "test": INTS, "train": INTS, "test_sizes": INTS,
                       "invalid_k_raises": Exact()})
def kfold_indices(kfold_indices):
    cases = [(23, 5), (10, 3), (7, 7), (100, 4), (11, 2), (19, 6)]
    n_folds, tests, trains, sizes = [], [], [], []
    for n, k in cases:
        folds = list(kfold_indices(n, k))
        n_folds.append(len(folds))
        for train, test in folds:
            train, test = np.asarray(train).reshape(-1), np.asarray(test).reshape(-1)
            tests.append(test)
            trains.append(train)
            sizes.append(test.size)
    return {"n_folds": n_folds, "test": np.concatenate(tests), "train": np.concatenate(trains),
            "test_sizes": sizes,
            "invalid_k_raises": [_raises_value_error(kfold_indices, 5, 6), _raises_value_error(kfold_indices, 5, 1)]}


# -- 4. voting ----------------------------------------------------------------------------

@hidden_check(compare={"five": INTS, "four_with_ties": INTS, "no_class_zero": INTS, "all_tied": INTS})
def hard_vote(hard_vote):
    rng = np.random.default_rng(1601)
    return {
        "five": hard_vote(rng.integers(0, 4, size=(5, 60))),
        "four_with_ties": hard_vote(rng.integers(0, 3, size=(4, 50))),   # 2-2 splits are frequent
        "no_class_zero": hard_vote(rng.integers(1, 5, size=(3, 40))),
        "all_tied": hard_vote(np.array([[3, 1, 0], [1, 3, 2]])),
    }


@hidden_check(compare={"labels": INTS, "mean_proba": FLOATS, "labels_weighted": INTS,
                       "mean_proba_weighted": FLOATS, "labels_confident": INTS})
def soft_vote(soft_vote):
    rng = np.random.default_rng(1701)
    probas = rng.dirichlet(np.full(5, 0.7), size=(4, 30))
    labels, mean = soft_vote(probas)
    labels_w, mean_w = soft_vote(probas, weights=[1.0, 2.5, 0.5, 1.5])
    # one confident classifier against two hesitant ones: the hesitant majority loses
    confident = np.array([[[0.05, 0.05, 0.9]], [[0.45, 0.15, 0.4]], [[0.42, 0.18, 0.4]]])
    labels_c, _ = soft_vote(confident)
    return {"labels": labels, "mean_proba": mean, "labels_weighted": labels_w,
            "mean_proba_weighted": mean_w, "labels_confident": labels_c}


# -- 5. MLP -------------------------------------------------------------------------------

@hidden_check(compare={"shapes": Exact()})
def mlp_shapes(shape_x, shape_w_h, shape_b_h, shape_w_o, shape_b_o, shape_y):
    shapes = (shape_x, shape_w_h, shape_b_h, shape_w_o, shape_b_o, shape_y)
    return {"shapes": [str(tuple(int(d) for d in s)) for s in shapes]}


@hidden_check(compare={"y_10_50_3": FLOATS, "y_4_6_2": FLOATS})
def mlp_forward(mlp_forward):
    rng = np.random.default_rng(1801)
    x = rng.normal(size=(17, 10))
    big = mlp_forward(x, rng.normal(0, 0.5, (10, 50)), rng.normal(0, 0.5, 50),
                      rng.normal(0, 0.3, (50, 3)), rng.normal(0, 0.5, 3))
    small = mlp_forward(rng.normal(size=(1, 4)), rng.normal(size=(4, 6)), rng.normal(size=6),
                        rng.normal(size=(6, 2)), rng.normal(size=2))
    return {"y_10_50_3": np.asarray(big, dtype=np.float64), "y_4_6_2": np.asarray(small, dtype=np.float64)}


# -- 6. initialisation --------------------------------------------------------------------

_FANS = [(784, 300), (300, 100), (10, 50), (1, 1), (3, 4096), (512, 512)]
_SCHEMES = ["glorot", "he", "lecun"]


@hidden_check(compare={"variance": Close(rtol=1e-9, atol=0), "unknown_raises": Exact()})
def init_variance(init_variance):
    return {"variance": [[float(init_variance(s, fi, fo)) for fi, fo in _FANS] for s in _SCHEMES],
            "unknown_raises": _raises_value_error(init_variance, "orthogonal", 10, 10)}


@hidden_check(compare={"limit": Close(rtol=1e-9, atol=0)})
def init_limit(uniform_limit):
    return {"limit": [[float(uniform_limit(s, fi, fo)) for fi, fo in _FANS] for s in _SCHEMES]}


# -- 7. activations -----------------------------------------------------------------------

def _activation_inputs(seed):
    rng = np.random.default_rng(seed)
    edges = np.array([-1000.0, -745.0, -710.0, -100.0, -30.0, -1e-8, -0.0, 0.0, 1e-8,
                      30.0, 100.0, 710.0, 745.0, 1000.0])
    flat = np.concatenate([edges, rng.normal(0.0, 4.0, size=60)])
    grid = rng.normal(0.0, 20.0, size=(3, 5))
    grid[0, 0], grid[2, 4] = -1000.0, 1000.0
    return flat, grid


def _apply(outputs, name, function, inputs, **kwargs):
    """Run `function` on both hidden inputs (fresh copies: a function that writes into its input
    does not change the next call's). Judged by the values only: an inf or nan where the true
    value is finite fails Close; an overflow warning on the way does not matter."""
    flat, grid = inputs
    outputs[name] = function(flat.copy(), **kwargs)
    outputs[name + "_2d"] = function(grid.copy(), **kwargs)


def _act_compare(*names):
    compare = {}
    for name in names:
        compare[name] = ACT
        compare[name + "_2d"] = ACT
    return compare


@hidden_check(compare=_act_compare("sigmoid", "tanh"))
def sigmoid_tanh(sigmoid, tanh):
    inputs, out = _activation_inputs(1901), {}
    _apply(out, "sigmoid", sigmoid, inputs)
    _apply(out, "tanh", tanh, inputs)
    return out


@hidden_check(compare=_act_compare("relu", "leaky_default", "leaky_001", "elu_default", "elu_05", "selu"))
def relu_family(relu, leaky_relu, elu, selu):
    inputs, out = _activation_inputs(2001), {}
    _apply(out, "relu", relu, inputs)
    _apply(out, "leaky_default", leaky_relu, inputs)
    _apply(out, "leaky_001", leaky_relu, inputs, alpha=0.01)
    _apply(out, "elu_default", elu, inputs)
    _apply(out, "elu_05", elu, inputs, alpha=0.5)
    _apply(out, "selu", selu, inputs)
    return out


@hidden_check(compare=_act_compare("softplus", "gelu", "swish_default", "swish_17", "mish"))
def smooth_activations(softplus, gelu, swish, mish):
    inputs, out = _activation_inputs(2101), {}
    _apply(out, "softplus", softplus, inputs)
    _apply(out, "gelu", gelu, inputs)
    _apply(out, "swish_default", swish, inputs)
    _apply(out, "swish_17", swish, inputs, beta=1.7)
    _apply(out, "mish", mish, inputs)
    return out


# -- 8. short answers ---------------------------------------------------------------------

@hidden_check(compare={"depth": Exact()})
def tree_depth(depth):
    # a whole number is compared as an integer; anything else stays a float and is refused as such
    # (Exact's message then says "expected integer data" without revealing how far off it is)
    value = float(depth)
    return {"depth": int(value) if value.is_integer() else value}


@hidden_check(compare={"ratio": Close(rtol=0.01, atol=0)})
def tree_training_time(ratio):
    return {"ratio": float(ratio)}


@hidden_check(compare={"choices": SameSet()})
def overfitting_remedies(answer):
    return {"choices": _choices(answer)}


@hidden_check(compare={"answer": Exact()})
def ridge_high_bias(answer):
    return {"answer": _choice(answer)}


@hidden_check(compare={"choices": SameSet()})
def svm_underfitting(answer):
    return {"choices": _choices(answer)}
