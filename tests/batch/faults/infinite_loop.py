"""Never returns from the answer cell (per-cell limit)."""
# reason: stopped at the per-cell limit
# %% cell: double_answer
while True:
    pass
