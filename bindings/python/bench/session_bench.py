"""Sessions per second through the Python binding (docs/performance.md, issue 17).

    REGIMEN_LIBRARY=build/lib/libregimen.so python3 bindings/python/bench/session_bench.py

A whole back_basics session (Session from the routine's bytes, start, tick from deadline to
deadline, every event read, close), with one catalog for every session (the C API keeps the
compiled plan of those routine bytes: bindings/c/plan_cache.h) and with a new catalog handle for
each session (the routine parsed and compiled every time, as before the cache). Best of 5 rounds
of about a second each (timeit's advice: the minimum is the least disturbed).
"""
import os
import sys
import timeit

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import regimen  # noqa: E402


def session(catalog, routine):
    with regimen.Session(catalog, routine) as s:
        s.start(0)
        events = len(list(s.events()))
        while not s.finished:
            s.tick(s.next_deadline)
            events += len(list(s.events()))
    return events


def main():
    shared = regimen.Catalog.default()
    routine = shared.routine("back_basics")

    def cached():
        session(shared, routine)

    def uncached():
        with regimen.Catalog.default() as fresh:
            session(fresh, routine)

    def new_only(catalog_factory):
        def run():
            catalog = catalog_factory()
            regimen.Session(catalog, routine).close()
        return run

    for name, fn in [("whole session, one catalog (cached plan)", cached),
                     ("whole session, new catalog each (compiled each time)", uncached),
                     ("Session() + close(), one catalog", new_only(lambda: shared)),
                     ("Session() + close(), new catalog each", new_only(regimen.Catalog.default))]:
        timer = timeit.Timer(fn)
        number, _ = timer.autorange()
        best = min(timer.repeat(repeat=5, number=number)) / number
        print(f"{name}: {best * 1e6:8.1f} us = {1 / best:9.0f} sessions/s")


if __name__ == "__main__":
    main()
