"""Which worker runs which tests: a lane of its own for the tests that mostly wait.

The end-to-end tests wait for apps in tmux and for other processes (a lock held on purpose,
a line hung up, writers killed), and so do the domain tests that race processes. On a
worker that also ran the screen tests, a core stood idle through those waits (the machine
was 86% busy; 93–96% with the lane). So with three workers or more, the first runs those
tests only (``waits``), and the others share the rest,
taking work from each other (pytest-xdist's worksteal). The first is shut down when its lane
is done, two thirds into the run, and its process goes then (``tests/conftest.py``): at the
end, when the screen tests have made the others grow, two workers are left. With fewer
workers it is plain worksteal.
"""

from xdist.scheduler import WorkStealingScheduling


def waits(nodeid: str) -> bool:
    """Whether a test mostly waits: the end-to-end tests, and the domain tests that race
    processes of their own (modules named ``*_race.py``). Run one at a time in the lane, a
    race's processes (40 MB each) never come on top of an app in a terminal."""
    return nodeid.startswith("tests/e2e/") or nodeid.split("::")[0].endswith("_race.py")


class LaneScheduling(WorkStealingScheduling):
    """Worksteal among all workers but the first, which takes the waiting tests, all at
    once, and is shut down when it has one left (a worker runs its last test then)."""

    lane = None
    _split = False

    def check_schedule(self) -> None:
        if not self._split and self.collection is not None:
            self._split = True
            nodes = sorted(self.node2pending, key=lambda node: node.gateway.id)
            if len(nodes) >= 3:
                self._open_lane(nodes[0])
        lane = self.lane
        if lane is None or lane not in self.node2pending:
            return super().check_schedule()
        if len(self.node2pending[lane]) < 2 and not lane.shutting_down:
            lane.shutdown()
        # The others neither send to the lane nor take from it.
        pending = self.node2pending.pop(lane)
        try:
            super().check_schedule()
        finally:
            self.node2pending[lane] = pending

    def _open_lane(self, node) -> None:
        lane = [index for index in self.pending if waits(self.collection[index])]
        if not lane:
            return
        taken = set(lane)
        self.pending[:] = [index for index in self.pending if index not in taken]
        self.lane = node
        self.node2pending[node].extend(lane)
        node.send_runtest_some(lane)
