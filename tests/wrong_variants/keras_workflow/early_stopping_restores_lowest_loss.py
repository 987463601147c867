"""Restores the epoch with the lowest loss, not the last epoch that improved by more than min_delta."""
# loses: early_stopping_weights
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    best, waited, epochs_run = None, 0, len(val_losses)
    for epoch, loss in enumerate(val_losses):
        if best is None or loss < best - min_delta:
            best, waited = loss, 0
            continue
        waited += 1
        if waited >= patience:
            epochs_run = epoch + 1
            break
    seen = list(val_losses[:epochs_run])
    return epochs_run, seen.index(min(seen)) if restore_best_weights else epochs_run - 1
