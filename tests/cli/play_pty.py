#!/usr/bin/env python3
"""Drives `regimen play back_basics --speed 20` in a pseudo-terminal, as a person would: it
pauses with space, resumes with space, and checks that the session plays to its end.

usage: play_pty.py REGIMEN_BINARY
"""
import os
import pty
import select
import sys
import time


def main():
    binary = sys.argv[1]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary, "play", "back_basics", "--speed", "20"])
    output = b""
    start = time.monotonic()
    keys = [(2.0, b" "), (3.0, b" ")]  # pause after 2 s, resume 1 s later
    while True:
        if time.monotonic() - start > 90:
            os.kill(pid, 9)
            print(output.decode(errors="replace")[-3000:])
            print("FAIL: play did not finish within 90 s")
            return 1
        while keys and time.monotonic() - start >= keys[0][0]:
            os.write(fd, keys.pop(0)[1])
        ready, _, _ = select.select([fd], [], [], 0.1)
        if fd in ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
    _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    checks = {
        "exit status 0": os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0,
        "interactive header": "Keys: space pause/resume" in text,
        "paused": "Paused" in text,
        "resumed": "Resumed" in text,
        "every exercise": all(name in text for name in
                              ["Growing through the spine", "Prone lift", "Prone leg lift",
                               "Prone opposite arm and leg lift"]),
        "completed": "Session completed" in text and "Finished: completed" in text,
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        print(text[-3000:])
        print("FAIL:", ", ".join(failed))
        return 1
    print("play ran to the end in a terminal in %.1f s" % (time.monotonic() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
