"""nbgrader's collect step, made to ignore submissions filed under another student's name.

In nbgrader's exchange a submission is a folder ``inbound/<student>+<assignment>+<time>+<random>``.
Any student can create such a folder with someone else's name in it, and nbgrader's collect only
*warns* when the folder's owner differs from the named student (``CollectApp.check_owner``), then
collects the newest one, forged or not. On a hub with real system users the owner is the truth:
this collect keeps only folders owned by the student they name, and logs the rest.

deploy/hub.py copies this file into the hub's venv and the instructor's nbgrader config selects it:
``c.ExchangeFactory.collect = 'sysdesign_hub_exchange.OwnerCheckedCollect'``.
"""

from __future__ import annotations

import glob
import os
import pwd

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect, groupby


def owner_name(path: str) -> str:
    try:
        return pwd.getpwuid(os.stat(path).st_uid).pw_name
    except (KeyError, FileNotFoundError):
        return ""


class OwnerCheckedCollect(ExchangeCollect):
    """Collect the newest submission of each student among the folders that student owns."""

    def init_src(self) -> None:
        super().init_src()  # checks the course and inbound folder, reads the due date
        student_id = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = os.path.join(self.inbound_path, f"{student_id}+{self.coursedir.assignment_id}+*")
        records = []
        for path in glob.glob(pattern):
            record = self._path_to_record(path)
            owner = owner_name(path)
            if owner != record["username"]:
                self.log.warning(
                    "Ignoring %s: it names student %r but belongs to %r", path, record["username"], owner
                )
                continue
            records.append(record)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                duedate = None
        chosen = []
        for group in groupby(records, lambda item: item["username"]).values():
            ordered = self._sort_by_timestamp(group)
            if duedate is not None and self.before_duedate:
                on_time = [r for r in ordered if r["timestamp"] <= duedate]
                ordered = on_time or ordered
            chosen.append(ordered[0])
        self.src_records = chosen
