"""JupyterHub configuration of the coursekit course hub (`make hub`).

One machine, real parts: JupyterHub with configurable-http-proxy, one Unix account per
user (instructor and students, created by `coursekit hub setup`), each user's server
started as that user by JupyterHub's LocalProcessSpawner, nbgrader's exchange in a shared
folder outside every home and outside the course directory, and a managed service that
grades each submission as it arrives. Paths and ports come from coursekit.hub.layout
(environment variables COURSEKIT_HUB_ROOT, COURSEKIT_HUB_PORT, COURSEKIT_HUB_STUDENTS...).

What a real deployment changes is marked REAL DEPLOYMENT below.
"""

import os
import shutil

from coursekit.hub.layout import HubLayout
from coursekit.hub.provision import hub_password, instructor_env

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
layout = HubLayout.from_env()

# --- network ---------------------------------------------------------------------------
# REAL DEPLOYMENT: listen on the public interface behind TLS, e.g.
#   c.JupyterHub.bind_url = "https://0.0.0.0:443"; c.JupyterHub.ssl_cert / ssl_key
# (or terminate TLS in a reverse proxy such as nginx or Traefik in front of the hub).
c.JupyterHub.bind_url = layout.url
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = layout.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{layout.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [os.environ.get("COURSEKIT_HUB_PROXY") or shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]
c.ConfigurableHTTPProxy.should_start = True

# --- the hub's own state (root only) -------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{layout.state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(layout.state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(layout.state / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(layout.state / "proxy.pid")

# --- who may log in ------------------------------------------------------------------------
# A shared password for a demo or a test on one machine (COURSEKIT_HUB_PASSWORD, or the one
# `coursekit hub setup` made and printed).
# REAL DEPLOYMENT: the university's login, e.g. the LTI 1.3 authenticator
# (ltiauthenticator) so students arrive from Canvas or Moodle with their LMS identity, or
# OAuthenticator (Azure AD, Google, GitHub); PAMAuthenticator for local Unix accounts.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = hub_password(layout)
c.Authenticator.allowed_users = set(layout.users)
c.Authenticator.admin_users = set()

# --- each user's server ----------------------------------------------------------------
# LocalProcessSpawner starts `jupyterhub-singleuser` as the user's own Unix account, so
# file permissions keep students out of the course directory and out of each other's homes.
# REAL DEPLOYMENT: for more users than one machine holds, KubeSpawner (Zero to JupyterHub)
# or DockerSpawner with the same environment as an image; see README "Running the course
# on a hub".
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 120
c.Spawner.cmd = [str(layout.env / "bin" / "jupyterhub-singleuser")]


def _per_user(spawner):  # type: ignore[no-untyped-def]
    """Students and the instructor get different Jupyter configuration (see coursekit hub setup)."""
    name = spawner.user.name
    home = str(layout.home(name))
    env = {
        "PATH": f"{layout.env / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": home, "USER": name, "LANG": "C.UTF-8",
        "JUPYTER_CONFIG_PATH": str(layout.etc(layout.role(name))),
        "MPLCONFIGDIR": f"{home}/.cache/matplotlib",
    }
    if name == layout.instructor:
        env.update(instructor_env(layout))
    spawner.environment.update(env)


c.Spawner.pre_spawn_hook = _per_user

# --- grading on submission -------------------------------------------------------------
# A managed service, run as the instructor, started and stopped with the hub.
c.JupyterHub.services = [
    {
        "name": "coursekit-autograde",
        "command": [str(layout.env / "bin" / "coursekit"), "hub", "autograde"],
        "user": layout.instructor,
        "cwd": str(layout.course),
        "environment": {**instructor_env(layout),
                        "COURSEKIT_HUB_ROOT": str(layout.root), "COURSEKIT_HUB_PORT": str(layout.port),
                        "COURSEKIT_HUB_INSTRUCTOR": layout.instructor,
                        "COURSEKIT_HUB_STUDENTS": ",".join(layout.students)},
    },
]
