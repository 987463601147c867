"""The formgrader service of the course hub (a jupyterhub-singleuser server in the course
directory, reachable at /services/<course>/ by the formgrade-<course> group only).

nbgrader issue #1870: JupyterHub >= 4.1 sends `Content-Security-Policy: frame-ancestors 'none'`
from every single-user server, and nbgrader 0.9's Lab menu Nbgrader > Formgrader shows the
formgrader in an iframe, which then stays blank. For this service only, frames from the same
origin are allowed: the page that frames it is the service's own Lab. Students' servers keep
'none' (JupyterHub's default, set in hub/jupyterhub_config.py only for this service).
The formgrader also works without frames at /services/<course>/formgrader."""

c = get_config()  # noqa: F821

c.ServerApp.tornado_settings = {
    "headers": {"Content-Security-Policy": "frame-ancestors 'self'"},
}

# saves that a read at the same moment cannot undo (hub/atomic_save.py)
c.ServerApp.contents_manager_class = "atomic_save.RenameOnSaveContentsManager"
