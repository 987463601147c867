"""Stops only when the count of epochs without improvement exceeds patience (one epoch too late)."""
# loses: early_stopping_epochs, early_stopping_weights
# %% cell: early_stopping_solution
def early_stopping_outcome(val_losses, patience, min_delta=0.0, restore_best_weights=False):
    best, best_epoch, waited = None, 0, 0
    for epoch, loss in enumerate(val_losses):
        if best is None or loss < best - min_delta:
            best, best_epoch, waited = loss, epoch, 0
            continue
        waited += 1
        if waited > patience:
            return epoch + 1, best_epoch if restore_best_weights else epoch
    return len(val_losses), best_epoch if restore_best_weights else len(val_losses) - 1
