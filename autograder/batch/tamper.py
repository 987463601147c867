"""Flag submissions whose code reaches into the grading machinery, for a person to review.

The grading process reads the sanitised notebook's cells that the student wrote (trusted
text: nbgrader restored every locked and test cell from the source) and looks, in their
syntax tree, for constructs an honest answer does not need: importing the grading package,
IPython's event hooks and input/AST transformers, sys.modules / trace functions / frame
inspection / the garbage collector's object lists, writing to builtins, replacing attributes
of NumPy, TensorFlow, Keras, IPython or the standard library's modules, code built at run
time (exec/eval/compile/__import__ of something that is not a literal), raw file descriptors
and /proc. A flag changes no score: the checks are what keep a submission from gaining
points; a flag puts a name and a line in front of the course staff (the gradebook's comment
of the answer cell, formgrader, the class report).
"""
from __future__ import annotations

import ast
from dataclasses import asdict, dataclass

MODULES = {"numpy", "tensorflow", "keras", "IPython", "autograder", "builtins", "sys", "os", "inspect", "gc",
           "ctypes", "importlib", "signal", "nbgrader", "nbformat", "scipy", "sklearn", "math", "random", "io",
           "contextlib", "warnings", "traitlets", "jupyter_client", "ipykernel", "tempfile", "pathlib"}
HOOKS = {"events", "ast_transformers", "input_transformers_post", "input_transformers_cleanup",
         "input_transformer_manager", "set_custom_exc", "register_magic_function", "displayhook"}
SYS_ATTRS = {"modules", "settrace", "setprofile", "_getframe", "addaudithook", "meta_path", "path_hooks",
             "excepthook", "displayhook", "__stdout__", "__stderr__"}
CALLS = {("inspect", "currentframe"), ("inspect", "stack"), ("inspect", "getouterframes"),
         ("gc", "get_objects"), ("gc", "get_referrers"), ("gc", "get_referents"), ("os", "write"), ("os", "dup2"),
         ("os", "dup"), ("os", "fdopen"), ("os", "kill"), ("os", "killpg"), ("signal", "signal"),
         ("signal", "setitimer"), ("signal", "alarm"), ("threading", "settrace"), ("sys", "settrace")}
DYNAMIC = {"exec", "eval", "compile", "__import__", "import_module"}


@dataclass(frozen=True)
class Flag:
    cell: str  # grade id of the cell, or "cell <index>" for a cell the student added
    line: int
    code: str
    why: str

    def describe(self) -> str:
        return f"{self.cell}, line {self.line}: `{self.code}` ({self.why})"

    def to_dict(self) -> dict:
        return asdict(self)


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
        node = node.value if not isinstance(node, ast.Call) else node.func
    return node.id if isinstance(node, ast.Name) else None


def _literal(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant)


class _Finder(ast.NodeVisitor):
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.modules: dict[str, str] = {}  # local name -> module it is bound to
        self.found: list[tuple[int, str]] = []

    def flag(self, node: ast.AST, why: str) -> None:
        self.found.append((node.lineno, why))

    def _module_of(self, node: ast.AST) -> str | None:
        root = _root_name(node)
        return self.modules.get(root) if root else None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            top = alias.name.split(".")[0]
            self.modules[(alias.asname or alias.name).split(".")[0]] = top
            if top in ("autograder", "nbgrader", "ctypes"):
                self.flag(node, f"imports {alias.name}")
            elif top == "sklearn":
                self.flag(node, "imports scikit-learn, whose functions answer several tasks of the course in one call")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        top = (node.module or "").split(".")[0]
        for alias in node.names:
            self.modules[alias.asname or alias.name] = top
        if top in ("autograder", "nbgrader", "ctypes"):
            self.flag(node, f"imports from {node.module}")
        elif top == "sklearn":
            self.flag(node, "imports scikit-learn, whose functions answer several tasks of the course in one call")
        self.generic_visit(node)

    def _assigned(self, target: ast.AST, node: ast.AST) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._assigned(element, node)
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            module = self._module_of(target)
            root = _root_name(target)
            if isinstance(target, ast.Subscript) and ast.unparse(target.value) == f"{root}.environ":
                return  # environment variables (TF_CPP_MIN_LOG_LEVEL and the like)
            if module in MODULES or root in ("__builtins__", "builtins"):
                self.flag(node, f"replaces part of {module or root}")
            elif isinstance(target, ast.Attribute) and target.attr in HOOKS:
                self.flag(node, f"sets IPython's {target.attr}")
        elif isinstance(target, ast.Name) and target.id in ("__builtins__",):
            self.flag(node, "replaces __builtins__")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node)
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._assigned(node.target, node)
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._assigned(target, node)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        module = self._module_of(node)
        if node.attr in HOOKS and (_root_name(node) == "get_ipython" or module == "IPython"):
            self.flag(node, f"uses IPython's {node.attr}")
        elif module == "sys" and node.attr in SYS_ATTRS:
            self.flag(node, f"uses sys.{node.attr}")
        elif node.attr in ("__globals__", "__code__", "__closure__", "f_globals", "f_locals", "f_back",
                           "__subclasses__", "__dict__") and isinstance(node.ctx, ast.Load):
            self.flag(node, f"reaches into {node.attr}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        module = self._module_of(func) if isinstance(func, ast.Attribute) else None
        if name in ("setattr", "delattr") and node.args:
            target = self._module_of(node.args[0])
            if target in MODULES or _root_name(node.args[0]) in ("__builtins__", "builtins"):
                self.flag(node, f"{name} on {target or 'builtins'}")
        elif (name in DYNAMIC and not (node.args and _literal(node.args[0]))
              and (isinstance(func, ast.Name) or module in ("builtins", "importlib")
                   or _root_name(func) == "__builtins__")):  # not `model.compile(...)`, `re.compile(...)`
            self.flag(node, f"runs code built at run time ({name})")
        if module and (module, name) in CALLS:
            self.flag(node, f"calls {module}.{name}")
        for argument in node.args:
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str) and "/proc/" in argument.value:
                self.flag(node, "opens /proc")
        self.generic_visit(node)


def find_tampering(cells: list[tuple[str, str]]) -> list[Flag]:
    """Flags for the student's cells, given as (cell name, source). A cell that does not parse
    (magics, a syntax error) is read line by line for the words that matter."""
    flags: list[Flag] = []
    for name, source in cells:
        lines = source.splitlines()
        try:
            tree = ast.parse(_without_magics(source))
        except (SyntaxError, ValueError):
            for number, line in enumerate(lines, 1):
                if any(word in line for word in ("autograder", ".events", "sys.modules", "__builtins__", "/proc/")):
                    flags.append(Flag(name, number, line.strip()[:160], "mentions the grading machinery"))
            continue
        finder = _Finder(lines)
        finder.visit(tree)
        for number, why in sorted(set(finder.found)):
            code = lines[number - 1].strip() if 0 < number <= len(lines) else ""
            flags.append(Flag(name, number, code[:160], why))
    return flags


def _without_magics(source: str) -> str:
    """IPython lines (%magic, !shell) as blank lines, so that line numbers stay."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def student_cells(nb) -> list[tuple[str, str]]:
    """The code cells a student wrote: answer cells and cells they added (not the locked or
    test cells nbgrader restored from the source)."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("locked") or meta.get("grade") and not meta.get("solution"):
            continue
        cells.append((meta.get("grade_id") or f"cell {index}", cell.source))
    return cells
