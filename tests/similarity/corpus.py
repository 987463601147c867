"""A planted class for the similarity report, built from the course's own answers: the
solution, honest alternatives written another way, wrong variants, and copies of each made
with what copiers do (copying.py). It says which pairs are copies and which were written
independently, so a test can check the ranking."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import nbgrader_run
from autograder.prove import honest_dir, variants_dir
from autograder.submissions import WrongVariant, release_with, solution_answers

from .copying import TEXT_TRANSFORMATIONS, TRANSFORMATIONS, all_text_transformations, all_transformations

REPO = Path(__file__).resolve().parents[2]

# The honest alternatives written in another formulation than the solution: copies must rank
# above the pair (solution, alternative). Left out, as derived from the solution's own lines
# (they differ by a cast, a print, a guard or the types returned): backprop_optimisation's
# chain_rule_float64_watched, chain_rule_keras_ops_gradient_list, naive_sigmoid_with_print,
# tape_values_as_numpy_and_tensor; ml_fundamentals's elu_exp_inside_where_warns,
# sigmoid_overflows_but_right_values; normalisation_cnn's resblock_tf_ops; tensorflow_basics's
# tf_print_left_in; tf_function_pitfalls's affine_variables_on_first_call,
# counter_with_tf_print, running_mean_size_as_float, sum_of_squares_while.
REFORMULATED = {
    "backprop_optimisation": ["activations_other_formulas", "himmelblau_expanded_scalar_loop",
                              "linear_regression_dot_and_normal_equations", "mlp_standalone_einsum",
                              "softmax_log_sum_exp"],
    "custom_components": ["keras_ops_add_variable_with_prints", "one_pass_variance_and_initializer_objects",
                          "tensordot_two_pass_manual"],
    "keras_workflow": ["batch_then_map_tf_random", "fit_driven_callbacks_and_seedless_dropout",
                       "keras_ops_registered_layer_python_rules", "numpy_scaling_tf_nn_dropout"],
    "ml_fundamentals": ["counts_by_bincount_folds_by_array_split", "roc_by_threshold_loop_auc_by_pairs",
                        "smooth_by_other_stable_formulas", "votes_with_loops"],
    "normalisation_cnn": ["bn_float32_one_pass_in_place", "bn_tf_moments_and_loop_lag",
                          "other_forms_norm_axes_group_norm_sizes", "resblock_layers_in_init_add_relu"],
    "recurrent_networks": ["keras_ops_and_tape_jacobian", "loops_scan_and_prints",
                           "numpy_einsum_and_counted_layers"],
    "tensorflow_basics": ["float64_expansion_and_ragged_ops", "keras_ops_and_gather_nd",
                          "moments_norm_and_dynamic_shapes"],
    "tf_function_pitfalls": ["collatz_explicit_while_loop", "jitter_random_generator",
                             "standardize_reduce_retracing"],
    "training_loop": ["layer_loop_nested_gradients", "numpy_prepare_other_rates",
                      "tensors_and_python_running_sums"],
}


def substantial_wrong_variants(assignment: str, n: int = 2, lines: int = 8) -> list[str]:
    """The first n wrong variants (by name) with at least `lines` lines of answer code: a copy of
    `ANSWER = "a"` is no evidence of anything."""
    found = []
    for path in sorted(variants_dir(REPO, assignment).glob("*.py")):
        variant = WrongVariant.read(path)
        if sum(1 for code in variant.cells.values() for line in code.split("\n") if line.strip()) >= lines:
            found.append(path.stem)
    return found[:n]


@dataclass
class PlantedClass:
    root: Path
    assignment: str
    answered: dict[str, set[str]] = field(default_factory=dict)          # student -> answer cells filled
    copies: list[tuple[str, str]] = field(default_factory=list)           # (original, copy) of code
    independent: list[tuple[str, str]] = field(default_factory=list)      # code written apart, same cells
    text_copies: list[tuple[str, str]] = field(default_factory=list)      # the same for free text
    text_independent: list[tuple[str, str]] = field(default_factory=list)
    blanks: list[str] = field(default_factory=list)

    def add(self, student: str, answers: dict[str, str], reorder_cells: bool = False) -> None:
        release = self.root / "release" / self.assignment / f"{self.assignment}.ipynb"
        nb = release_with(release, answers)
        if reorder_cells:
            nb = reversed_answer_cells(nb)
        nbgrader_run.submit(self.root, self.assignment, student, nb)
        self.answered[student] = set(answers)

    def unrelated(self) -> list[tuple[str, str]]:
        """Pairs of answered students with no answer cell in common: nothing to share."""
        names = sorted(s for s in self.answered if self.answered[s])
        return [(a, b) for i, a in enumerate(names) for b in names[i + 1:]
                if not self.answered[a] & self.answered[b]]


def reversed_answer_cells(nb):
    """The notebook with its answer cells in reverse order (the other cells stay put)."""
    slots = [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution")]
    answers = [nb.cells[i] for i in slots]
    for i, cell in zip(slots, reversed(answers)):
        nb.cells[i] = cell
    return nb


def course_with(dest: Path, assignment: str) -> Path:
    """A throwaway course holding one assignment's source and release (no generate needed)."""
    for part in ("source", "release"):
        shutil.copytree(REPO / part / assignment, dest / part / assignment)
    shutil.copy2(REPO / "nbgrader_config.py", dest / "nbgrader_config.py")
    (dest / "grading").mkdir()
    return dest


def copies_of(planted: PlantedClass, original: str, answers: dict[str, str], free_text: bool = False) -> None:
    """The original's answers copied with each transformation alone and with all of them."""
    transformations = TEXT_TRANSFORMATIONS if free_text else TRANSFORMATIONS
    all_of_them = all_text_transformations if free_text else all_transformations
    pairs = planted.text_copies if free_text else planted.copies
    planted.add(original, answers)
    for name, transform in transformations.items():
        copy = f"{name}-copy-of-{original}"
        planted.add(copy, {cell: transform(code) for cell, code in answers.items()}, reorder_cells=name == "reordered")
        pairs.append((original, copy))
    copy = f"disguised-copy-of-{original}"
    planted.add(copy, {cell: all_of_them(code) for cell, code in answers.items()}, reorder_cells=True)
    pairs.append((original, copy))


# Answers to free-text questions written for this corpus, in other words than the model answer
# and without looking at each other: independent work on the same question.
OWN_WORDS = {"ml_fundamentals": {
    "regularised_regression": [
        "Linear regression without a penalty can fit noise when there are many features compared to samples. "
        "Ridge regression adds the squared size of the coefficients to the loss, which keeps them small and "
        "lowers the variance of the model at the cost of some bias. Lasso penalises the absolute values instead, "
        "and this sets some coefficients to zero, so the model only keeps the informative inputs. Elastic Net "
        "combines the two penalties with a mixing ratio; it is the safer choice when inputs are correlated with "
        "each other or there are more inputs than training examples, because Lasso then picks features "
        "unpredictably.",
        "Use Ridge when ordinary least squares overfits: the L2 term shrinks every weight towards zero and makes "
        "the solution stable. Prefer Lasso when you believe most features are irrelevant, since its L1 term "
        "produces sparse weights and so does feature selection for you. Elastic Net is a compromise between "
        "them, and it works better than Lasso if some features are highly correlated (Lasso keeps just one of "
        "them at random) or if the number of features is larger than the number of samples.",
    ],
}}


def model_answer(text: str) -> str:
    """A free-text solution without its grading rubric."""
    return text.split("**Rubric**")[0].strip() + "\n"


def plant_free_text(planted: PlantedClass, question: str) -> None:
    """The model answer of a free-text question and its copies, and its answers in OWN_WORDS."""
    source = planted.root / "source" / planted.assignment / f"{planted.assignment}.ipynb"
    copies_of(planted, f"text-model-{question}", {question: model_answer(solution_answers(source)[question])},
              free_text=True)
    writers = [f"text-model-{question}"]
    for n, text in enumerate(OWN_WORDS[planted.assignment][question], 1):
        writers.append(f"text-own-{n}-{question}")
        planted.add(writers[-1], {question: text})
    planted.text_independent += [(a, b) for i, a in enumerate(writers) for b in writers[i + 1:]]


def plant(dest: Path, assignment: str, honest: list[str] | None = None, wrong: list[str] | None = None) -> PlantedClass:
    """For each honest alternative (default: REFORMULATED): the solution of its cells
    (`solution-<name>`) and the alternative (`honest-<name>`), written independently, each with
    its copies; for each wrong variant (default: the first two substantial ones), the variant
    and its copies; the free-text answers of OWN_WORDS; and two blank releases."""
    honest = REFORMULATED[assignment] if honest is None else honest
    wrong = substantial_wrong_variants(assignment) if wrong is None else wrong
    root = course_with(dest, assignment)
    planted = PlantedClass(root, assignment)
    solution = solution_answers(root / "source" / assignment / f"{assignment}.ipynb")
    for name in honest:
        variant = WrongVariant.read(honest_dir(REPO, assignment) / f"{name}.py")
        copies_of(planted, f"solution-{name}", {cell: solution[cell] for cell in variant.cells})
        copies_of(planted, f"honest-{name}", variant.cells)
        planted.independent.append((f"solution-{name}", f"honest-{name}"))
    for name in wrong:
        variant = WrongVariant.read(variants_dir(REPO, assignment) / f"{name}.py")
        copies_of(planted, f"wrong-{name}", variant.cells)
    for question in OWN_WORDS.get(assignment, {}):
        plant_free_text(planted, question)
    for i, a in enumerate(honest):
        for b in honest[i + 1:]:
            if planted.answered[f"honest-{a}"] & planted.answered[f"honest-{b}"]:
                planted.independent.append((f"honest-{a}", f"honest-{b}"))
    release = root / "release" / assignment / f"{assignment}.ipynb"
    for student in ("blank-1", "blank-2"):
        nbgrader_run.submit(root, assignment, student, nbformat.read(release, as_version=4))
        planted.blanks.append(student)
    return planted
