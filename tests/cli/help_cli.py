#!/usr/bin/env python3
"""Checks the help of the `regimen` tool from the outside: `regimen help`, `regimen help COMMAND`,
`COMMAND --help` and `-h` for every command (exit 0, the same text, every option, the exit codes),
that every command's example runs when pasted (in the source tree), that the options help lists
are the ones the command accepts, that unknown commands, options and routines say what there is,
and that README.md's command list and the tool's agree, both ways.

usage: help_cli.py REGIMEN_BINARY SOURCE_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile


def run(regimen, *args, **kwargs):
    return subprocess.run([regimen] + list(args), capture_output=True, text=True, **kwargs)


def commands_of(overview):
    """The command names of `regimen help`: the lines of its "commands:" section."""
    names = []
    section = overview.split("commands:\n", 1)[1].split("\n\n", 1)[0]
    for line in section.splitlines():
        name = line.split()[0]
        if name not in ("help", "--version"):
            names.append(name)
    return names


def options_of(help_text):
    """The flags of a command's help: the lines of its "options:" section."""
    section = help_text.split("\noptions:\n", 1)[1].split("\n\n", 1)[0]
    flags = []
    for line in section.splitlines():
        m = re.match(r"  (--?[a-z][a-z-]*)", line)
        if m:
            flags.append(m.group(1))
    return flags


def readme_commands(source):
    """(command, [flags]) for each `regimen ...` line of README.md's command block."""
    with open(os.path.join(source, "README.md")) as f:
        text = f.read()
    block = text.split("The command-line tool", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = []
    for line in block.splitlines():
        if not line.startswith("regimen "):
            continue
        words = line.split("#", 1)[0].split()
        lines.append((words[1], [w.split("=")[0] for w in words[2:] if w.startswith("--")]))
    return lines


def main():
    regimen, source = sys.argv[1], sys.argv[2]
    failures = []

    def check(name, ok, detail=""):
        if not ok:
            failures.append("%s %s" % (name, detail))

    r = run(regimen, "help")
    check("help exits 0", r.returncode == 0, r.stderr)
    check("help gives the exit codes", "exit codes: 0 ok; 1 bad input" in r.stdout)
    commands = commands_of(r.stdout)
    for expected in ("catalog", "validate", "simulate", "play", "generate", "progress",
                     "schedule", "simulate-population", "history", "next"):
        check("help lists " + expected, expected in commands, r.stdout)
    check("--help is help", run(regimen, "--help").stdout == r.stdout)
    check("-h is help", run(regimen, "-h").stdout == r.stdout)

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, XDG_DATA_HOME=tmp)
        for command in commands:
            texts = [run(regimen, "help", command), run(regimen, command, "--help"),
                     run(regimen, command, "-h")]
            for t in texts:
                check(command + " help exits 0", t.returncode == 0 and not t.stderr, t.stderr)
            text = texts[0].stdout
            check(command + " help is the same every way",
                  all(t.stdout == text for t in texts))
            for needle in ("usage: regimen " + command, "\noptions:\n", "--help, -h",
                           "example (in the source tree):", "exit codes: 0 ok; 1 bad input",
                           "2 bad usage"):
                check(command + " help has " + repr(needle), needle in text, text)
            # The options help lists are exactly the ones the command accepts.
            listed = options_of(text)
            bad = run(regimen, command, "--no-such-option")
            check(command + " unknown option exits 2", bad.returncode == 2, bad.stderr)
            m = re.search(r"the options are (.*)\n", bad.stderr)
            accepted = m.group(1).split(", ") if m else []
            check(command + " help lists the accepted options",
                  sorted(listed) == sorted(accepted), "%r vs %r" % (listed, accepted))
            # Every file the help points to exists, and the example runs as printed.
            for path in re.findall(r"examples/cli/[\w.]+", text):
                check(command + " help names " + path,
                      os.path.isfile(os.path.join(source, path)))
            example = text.split("example (in the source tree):\n", 1)[1].splitlines()[0]
            argv = shlex.split(example)
            check(command + " example starts with regimen " + command,
                  argv[:2] == ["regimen", command], example)
            ran = run(regimen, *argv[1:], cwd=source, env=env, timeout=120)
            check(command + " example runs: " + example,
                  ran.returncode == 0 and ran.stdout, "%d %s" % (ran.returncode, ran.stderr))

    # The shapes of input files carry the schema's field names and comments.
    text = run(regimen, "help", "generate").stdout
    for needle in ('"minutesPerWeek": uint32', '"timeZone": string', '"wakeTime": string',
                   '"weekdays": ["MONDAY" |', "# IANA time zone name"):
        check("generate help shows " + needle, needle in text, text)
    text = run(regimen, "help", "simulate").stdout
    for needle in ('"ticksOnlyAtInputs": bool', '"signal": "SIGNAL_PAUSE" |', '"painStopThreshold"',
                   "# exactly one of start, tick, signal, report, speechEnded:", '"prescription": {'):
        check("simulate help shows " + needle, needle in text, text)

    # README.md's command block and the tool's commands, both ways; and README's options exist.
    readme = readme_commands(source)
    named = set(c for c, _ in readme)
    check("README lists every command", named >= set(commands),
          "missing: %s" % sorted(set(commands) - named))
    check("README lists only commands", named <= set(commands) | {"--version", "help"},
          "unknown: %s" % sorted(named - set(commands)))
    for command, flags in readme:
        if command not in commands:
            continue
        known = options_of(run(regimen, "help", command).stdout) + ["--help"]
        for flag in flags:
            check("README's %s %s is an option" % (command, flag), flag in known)

    # What is wrong says what there is.
    r = run(regimen, "no-such-command")
    check("unknown command exits 2",
          r.returncode == 2 and all(c in r.stderr for c in commands) and not r.stdout,
          r.stderr)
    r = run(regimen, "help", "no-such-command")
    check("help of an unknown command exits 2", r.returncode == 2 and "simulate" in r.stderr,
          r.stderr)
    r = run(regimen)
    check("no command exits 2", r.returncode == 2 and "commands:" in r.stderr)
    for command in ("simulate", "play"):
        r = run(regimen, command, "no_such_routine")
        check(command + " of an unknown routine lists the routines",
              r.returncode == 1 and "back_basics, back_basics_plus" in r.stderr
              and not r.stdout, r.stderr)
    r = run(regimen, "catalog")
    check("bad usage points to help", r.returncode == 2 and "regimen catalog --help" in r.stderr,
          r.stderr)

    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        return 1
    print("help CLI checks passed (%d commands)" % len(commands))
    return 0


if __name__ == "__main__":
    sys.exit(main())
