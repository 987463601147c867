"""nbgrader pieces of the course hub (imported by the nbgrader_config.py files in hub/jupyter/).

OwnerCheckedCollect answers nbgrader issue #1097 (a student can drop a submission named
after another student into the shared inbound directory): nbgrader 0.9 names each inbound
submission `<student>+<assignment>+<timestamp>+<random>` and its `check_owner` option only
*logs* a warning when the unix owner of that folder is someone else. This collect step
refuses such a submission instead: it is not copied to submitted/, so it is never graded.
It needs real unix accounts (the hub running as root, one unix user per hub user); with a
shared unix account (`shared` mode) every folder has the same owner and the check is off.
"""
from __future__ import annotations

import os
import pwd

from nbgrader.exchange.default.collect import ExchangeCollect


def _owner(path: str) -> str:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except KeyError:
        return f"uid {os.stat(path).st_uid}"


class OwnerCheckedCollect(ExchangeCollect):
    """`nbgrader collect` that never collects an inbound submission whose unix owner is not the
    student it names: for each student the newest *genuine* submission is collected."""

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        owner = _owner(path)
        record["forged"] = owner != record["username"]
        if record["forged"]:
            self.log.error(
                "REFUSED %s: it claims to be a submission of %s but its owner is %s "
                "(nbgrader issue #1097); it is not collected", os.path.basename(path), record["username"], owner,
            )
        return record

    def _sort_by_timestamp(self, records):
        # genuine submissions first (newest first), forged ones after them
        return sorted(records, key=lambda r: (not r.get("forged"), r["timestamp"]), reverse=True)

    def init_src(self):
        super().init_src()
        self.src_records = [r for r in self.src_records if not r.get("forged")]
