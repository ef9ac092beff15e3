# SPDX-License-Identifier: MIT
"""Two sandboxes from two Python threads at once: the GIL is not held
while a sandbox runs. The two programs meet through a FIFO, so neither can
end before the other has started: one run's stdin is the FIFO, the other's
stdout. Run one after the other, the first would wait for the second's
open until its wall-clock limit."""
import os
import threading

import sandbox


def test_two_threads_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    results = {}

    def reader():
        results["reader"] = sandbox.run(["/bin/cat"], stdin=fifo, stdout=tmp_path / "got",
                                        wall_time=60)

    def writer():
        results["writer"] = sandbox.run(["/bin/echo", "over the fifo"], stdout=fifo,
                                        wall_time=60)

    threads = [threading.Thread(target=reader), threading.Thread(target=writer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for name in ("reader", "writer"):
        r = results[name]
        assert (r.status, r.exit_code) == ("exited", 0), (name, r.as_dict())
    assert (tmp_path / "got").read_text() == "over the fifo\n"
