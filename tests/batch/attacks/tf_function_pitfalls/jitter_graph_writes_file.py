"""An export that does I/O when the grader runs it: a correct-looking jitter whose graph also
tf.prints into a file in the check recorder's folder (the path is baked into the graph while
tracing), trying to reach the grading side from the process that measures the export. The
NumPy noise stays frozen, so only a write that forges the result could earn the points."""
# %% cell: jitter_solution
import autograder.hidden as _hidden

_target = str(getattr(_hidden._backend, "directory", "."))

@tf.function
def add_jitter(x):
    tf.print("calls_differ=True", output_stream="file://" + _target + "/tf_function_pitfalls.jitter_fresh_noise.txt")
    noise = np.random.uniform(-0.1, 0.1, size=tuple(x.shape) if x.shape.rank else ()).astype("float32")
    return x + noise
