"""JupyterHub configuration of the course hub (`make hub`; docs/hub.md).

Everything that varies between `make hub` and the tests comes from COURSE_HUB_* environment
variables, which `hub/hub_env.py` (hub_env) sets after the state directory is prepared:

  COURSE_HUB_STATE     state directory: accounts.json, course/, exchange/, home/, hub database
  COURSE_HUB_IP/PORT   where students connect (default 127.0.0.1:8000)
  COURSE_HUB_PORTS     three free loopback ports: the hub itself, the proxy's API, the formgrader service
  COURSE_HUB_CHP       the configurable-http-proxy executable (npm, installed by `make hub-deps`)
  COURSE_HUB_GRADER_UNIX  the unix account of the formgrader service (owner of course/)
  COURSE_HUB_UNIX_USERS  "1": one unix account per hub user (the hub runs as root); "0": every
                       server runs as the hub's own unix account (no root; docs/hub.md)
  COURSE_HUB_FEEDBACK  "0": no grading service (default "1": each submission graded as it arrives)
  COURSE_HUB_ADMIN_TOKEN  optional: an API token for the `course-hub-driver` service, which the
                       end-to-end test and the load check use to start servers and make tokens

Roles: students (group `students`) can use only their own server: JupyterHub's default `user`
role holds no access to other servers or services. The formgrader is the hub-managed service
`tf-deep-learning` (nbgrader 0.9's recommended set-up for several graders), reachable by the
group `formgrade-tf-deep-learning` (instructors and graders) only.
"""
import json
import os
import sys
from pathlib import Path

HUB_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(HUB_DIR))

import hub_accounts  # noqa: E402  (accounts and unix users)
from hub_layout import COURSE_ID, DEFAULT_GRADER_UNIX, REPO, Layout  # noqa: E402

c = get_config()  # noqa: F821

state = Path(os.environ.get("COURSE_HUB_STATE", HUB_DIR.parent / "build" / "hub")).resolve()
layout = Layout(state, os.environ.get("COURSE_HUB_GRADER_UNIX", DEFAULT_GRADER_UNIX))
unix_users = os.environ.get("COURSE_HUB_UNIX_USERS", "1" if os.geteuid() == 0 else "0") == "1"
hub_port, proxy_api_port, service_port = (int(p) for p in os.environ.get("COURSE_HUB_PORTS", "8081,8001,9999").split(","))
COURSE = COURSE_ID
SERVICE = COURSE  # nbgrader's course list finds a course's formgrader by this name

accounts = json.loads(layout.accounts.read_text())
by_role = {role: sorted(u for u, a in accounts.items() if a["role"] == role)
           for role in ("instructor", "grader", "student")}

# -- network: only loopback unless told otherwise --------------------------------------------
c.JupyterHub.ip = os.environ.get("COURSE_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("COURSE_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [os.environ.get("COURSE_HUB_CHP", "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the proxy and every user server

# -- state -----------------------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{layout.private / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(layout.private / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(layout.private / "jupyterhub.pid")

# -- who can log in --------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "demo_auth.DemoAccountsAuthenticator"
c.DemoAccountsAuthenticator.accounts_file = str(layout.accounts)
c.Authenticator.allowed_users = set(accounts)
c.Authenticator.admin_users = set()  # nobody needs hub admin: nbgrader's powers come from the groups
c.Authenticator.manage_groups = False

c.JupyterHub.load_groups = {
    "instructors": {"users": by_role["instructor"]},
    "graders": {"users": by_role["grader"]},
    "students": {"users": by_role["student"]},
    f"formgrade-{COURSE}": {"users": by_role["instructor"] + by_role["grader"]},
}
c.JupyterHub.load_roles = [
    {
        "name": f"formgrade-{COURSE}",
        "description": "open the course's formgrader service",
        "groups": [f"formgrade-{COURSE}"],
        "scopes": [f"access:services!service={SERVICE}", "list:services", f"read:services!service={SERVICE}"],
    },
]

# -- the users' own servers ------------------------------------------------------------------
venv_bin = Path(sys.executable).parent
# the interpreter of the users' servers and kernels (hub_python.user_python: runnable by them)
user_python = os.environ.get("COURSE_HUB_PYTHON", sys.executable)
common_env = {
    # every process of this hub carries its state directory: tests/hub/hub_harness.sweep() finds leftovers
    "COURSE_HUB_STATE": str(state),
    "NBGRADER_EXCHANGE": str(layout.exchange),
    "COURSE_ID": COURSE,
    "COURSE_HUB_UNIX_USERS": "1" if unix_users else "0",
    "PYTHONPATH": os.pathsep.join([str(HUB_DIR), str(REPO)]),  # hub/ and this checkout's autograder
    "PATH": f"{Path(user_python).parent}:{venv_bin}:/usr/local/bin:/usr/bin:/bin",
    "TF_CPP_MIN_LOG_LEVEL": "1",
}
if os.environ.get("COURSE_HUB_LD_LIBRARY_PATH"):
    common_env["LD_LIBRARY_PATH"] = os.environ["COURSE_HUB_LD_LIBRARY_PATH"]
# Extensions, Lab's assets and their configuration live in this virtualenv, which is not
# sys.prefix when the servers run on hub_python.user_python's interpreter.
prefix = Path(sys.prefix)
common_env["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
common_env["JUPYTERLAB_DIR"] = str(prefix / "share" / "jupyter" / "lab")


def config_path(role_dir: str) -> str:
    return os.pathsep.join([str(HUB_DIR / "jupyter" / role_dir), str(prefix / "etc" / "jupyter")])


if os.environ.get("KERAS_HOME"):
    common_env["KERAS_HOME"] = os.environ["KERAS_HOME"]

c.Spawner.cmd = [user_python, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
# TF_CPP_MIN_LOG_LEVEL=3 in users' kernels: nbgrader's Validate counts any stderr output of a
# test cell as a failure, and TensorFlow logs e.g. "failed call to cuInit" (ERROR level) on a
# machine without GPU during the first traced call. The grading side keeps level 1 and strips
# such lines with autograder.preprocessors.StripBenignStderr (nbgrader_config.py).
c.Spawner.environment = dict(common_env, JUPYTER_CONFIG_PATH=config_path("student"), TF_CPP_MIN_LOG_LEVEL="3")
c.Spawner.start_timeout = 180  # many servers starting at once on two cores
c.Spawner.http_timeout = 180
c.Spawner.mem_limit = None

if unix_users:
    # One unix account per hub user, created on first spawn with a private home under the
    # state directory: a student's kernel cannot read another student's files.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"

    def make_unix_account(spawner):
        hub_accounts.ensure_unix_user(layout, spawner.user.name)

    c.Spawner.pre_spawn_hook = make_unix_account
else:
    # No root: every server runs as this unix account, each in its own folder.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(layout.homes / "{username}")

# -- the formgrader service ------------------------------------------------------------------
service = {
    "name": SERVICE,
    "display": True,
    "url": f"http://127.0.0.1:{service_port}",
    "command": [user_python, "-m", "jupyterhub.singleuser"],
    "cwd": str(layout.course),
    "oauth_no_confirm": True,
    "environment": dict(
        common_env,
        JUPYTER_CONFIG_PATH=config_path("grader"),
        JUPYTERHUB_DEFAULT_URL="/formgrader",
        HOME=str(layout.grader_home),
    ),
}
if unix_users:
    service["user"] = layout.grader
c.JupyterHub.services = [service]

# -- the grading service: feedback seconds after submit (autograder.hub_feedback, docs/hub.md) --
# Watches the exchange's inbound folder, collects (owner-checked) and grades each new
# submission, releases the student's feedback; policy in the course's nbgrader_config.py
# (FeedbackPolicy). A managed service: started and stopped with the hub, restarted by the hub
# if it dies (it resumes from the exchange, the gradebook and its ledger). No URL: it serves
# nothing. COURSE_HUB_FEEDBACK=0 leaves it out.
if os.environ.get("COURSE_HUB_FEEDBACK", "1") == "1":
    grading = {
        "name": f"{COURSE}-feedback",
        "command": [user_python, "-m", "autograder.hub_feedback", "--course", str(layout.course), "--poll", "1"],
        "cwd": str(layout.course),
        "environment": dict(
            common_env,
            JUPYTER_CONFIG_PATH=config_path("grader"),  # the exchange and the owner-checked collect
            HOME=str(layout.grader_home),
            PYTHONUNBUFFERED="1",  # its log lines reach the hub's log as they happen
        ),
    }
    if unix_users:
        grading["user"] = layout.grader
    c.JupyterHub.services.append(grading)

admin_token = os.environ.get("COURSE_HUB_ADMIN_TOKEN")
if admin_token:
    # Test and load-check driver: starts users' servers and makes their API tokens.
    c.JupyterHub.services.append({"name": "course-hub-driver", "api_token": admin_token})
    c.JupyterHub.load_roles.append({
        "name": "course-hub-driver",
        "services": ["course-hub-driver"],
        "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users", "read:services",
                   "access:servers"],
    })
