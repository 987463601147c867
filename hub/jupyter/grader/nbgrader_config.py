"""nbgrader settings of the formgrader service, on top of the course's own nbgrader_config.py
(in the service's working directory, the course directory)."""
import os

c = get_config()  # noqa: F821

c.Exchange.root = os.environ["NBGRADER_EXCHANGE"]
if os.environ.get("COURSE_HUB_UNIX_USERS") == "1":
    # nbgrader #1097: a submission not owned by the student it names is refused at collect time.
    c.ExchangeFactory.collect = "nbgrader_hub.OwnerCheckedCollect"
