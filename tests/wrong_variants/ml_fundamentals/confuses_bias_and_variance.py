"""Swaps the cures for overfitting and underfitting: adds capacity to an overfitting model, regularises an underfitting one."""
# loses: overfitting_remedies, ridge_high_bias, svm_underfitting
# %% cell: remedies_answer
OVERFITTING_REMEDIES = {"d", "e"}
# %% cell: ridge_answer
ANSWER_RIDGE = "a"
# %% cell: svm_answer
SVM_UNDERFIT_FIX = {"b", "d"}
