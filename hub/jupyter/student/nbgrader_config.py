"""nbgrader settings of every user's own server on the course hub (students, and the staff's
own servers: the course itself is managed in the formgrader service only).

The hub passes the exchange directory in NBGRADER_EXCHANGE (hub/jupyterhub_config.py)."""
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = os.environ.get("COURSE_ID", "tf-deep-learning")
c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
# The student id is the hub user this server belongs to. With one unix account per hub user
# (the hub running as root) it equals the unix name nbgrader would use anyway; with a shared
# unix account it is what tells the students apart (docs/hub.md says what that mode loses).
c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
