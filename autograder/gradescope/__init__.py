"""The course's assignments as otter-grader (Gradescope) autograders, built from source/."""
from .export import ExportFailed, export_assignment
from .master import NotConvertible, master_notebook
from .run import OtterRunFailed, otter_scores

__all__ = ["export_assignment", "master_notebook", "ExportFailed", "NotConvertible",
           "otter_scores", "OtterRunFailed"]
