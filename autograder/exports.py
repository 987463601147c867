"""What a check with `measure=` exports from the student's process besides plain values: a
TensorFlow SavedModel of the student's object (its variables and traced graphs), which the
measuring process loads and runs without any of the student's Python code.

A SavedModel written by student code may hold any op; `load_saved_model` refuses graphs with
ops that reach outside the computation (files, Python callbacks, summaries, datasets that read
files), so running the loaded functions only computes."""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

# Op types that read or write files, call back into Python or otherwise leave the graph.
REFUSED_OPS = re.compile(r"PyFunc|File|Save|Restore|Writer|Summary|Record|Reader|Dataset|Iterator|"
                         r"Debug|Checkpoint|Queue|Lookup|Socket|Rpc|Env|Execute|Cluster|ImmutableConst|Remap")
# Ops whose names match the pattern above but only compute (loading restores variables itself).
ALLOWED_OPS = frozenset({"RestoreV2", "SaveV2", "MergeV2Checkpoints", "ShardedFilename", "StringJoin"})
FINGERPRINT = "fingerprint.pb"  # what TensorFlow writes beside a SavedModel to identify it


class RefusedGraph(ValueError):
    """An exported graph holds an op the measuring process does not run."""


class SavedModel:
    """Export `obj` (a tf.Module, a Keras layer or model, or a tf.function) as a SavedModel.
    Trace the functions the measure needs before exporting (call them, or
    `get_concrete_function(tf.TensorSpec(...))`); pass `signatures` to name entry points.
    Saved a second time (one export shared by several checks), the first folder is copied:
    saving is most of such a check's cost."""

    def __init__(self, obj: Any, signatures: Any = None):
        self.obj, self.signatures = obj, signatures
        self.saved: Path | None = None

    def save(self, folder: Path) -> None:
        if self.saved is not None and self.saved.is_dir():
            shutil.copytree(self.saved, folder, symlinks=True)  # links stay links: the verifier refuses them
            return
        import tensorflow as tf
        tf.saved_model.save(self.obj, str(folder), signatures=self.signatures)
        # TensorFlow's fingerprint holds a random id, new at each save: without it the same
        # model exports to the same bytes, and a result measured before is reused (measured.py).
        # Loading does not need it.
        Path(folder, FINGERPRINT).unlink(missing_ok=True)
        self.saved = Path(folder)


MAX_SAVED_MODEL_BYTES = 64 * 1024 * 1024


def graph_nodes(folder: Path) -> list:
    """Every node of every graph and function in an exported SavedModel, read from its
    saved_model.pb before anything is loaded."""
    from tensorflow.core.protobuf import saved_model_pb2
    path = Path(folder) / "saved_model.pb"
    if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_SAVED_MODEL_BYTES:
        raise RefusedGraph("the export holds no readable saved_model.pb")
    proto = saved_model_pb2.SavedModel()
    proto.ParseFromString(path.read_bytes())
    nodes = []
    for meta in proto.meta_graphs:
        nodes += list(meta.graph_def.node)
        for function in meta.graph_def.library.function:
            nodes += list(function.node_def)
    return nodes


def graph_op_types(folder: Path) -> set[str]:
    return {node.op for node in graph_nodes(folder)}


def refused_ops(nodes) -> list[str]:
    """What in these nodes the measuring process does not run: ops that leave the computation,
    and a tf.print whose output goes to a file."""
    refused = {node.op for node in nodes if REFUSED_OPS.search(node.op) and node.op not in ALLOWED_OPS}
    refused |= {"PrintV2 to a file" for node in nodes
                if node.op == "PrintV2" and node.attr["output_stream"].s.decode("utf-8", "replace").startswith("file:")}
    return sorted(refused)


def load_saved_model(folder: Path) -> Any:
    """Load an exported SavedModel, refused (RefusedGraph names the op) when its graphs hold an
    op that is not pure computation."""
    import tensorflow as tf
    refused = refused_ops(graph_nodes(folder))
    if refused:
        raise RefusedGraph(f"the exported graph uses {', '.join(refused)}, which the grader does not run")
    return tf.saved_model.load(str(folder))
