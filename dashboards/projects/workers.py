"""The orderers' and primes' locations written by several processes: the publishing one and
spawned workers.

A national publication has about 64 000 site pages (each written to its orderer's and its
prime's location) and tens of thousands of locations, each independent of the others and most
of the publish time. The work is a list of jobs — one per site page, one per location — that
every process derives the same way from the same marts. Worker processes are *spawned* (not
forked: the publishing process may hold threads — Dagster's, Arrow's — which a fork would copy
mid-flight); each loads the marts itself, then every process takes chunks of jobs from one
shared counter until none are left. A process slowed by other work simply takes fewer chunks.
A worker whose publishing process is gone stops after its chunk.

Only between local folders: a worker reopens the gold and the locations by path (an in-memory
filesystem would be empty in another process; object stores publish serially).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

from fsspec.implementations.local import LocalFileSystem

from .. import location_files
from ..io import Location, Writer, locate
from ..settings import unit_location
from . import data as project_data
from . import unchanged
from .locations import INDEX, ProjectLocations, write_location
from .common import site_page_path
from .site_page import build_site_page

CHUNK = 200          # jobs per take: well under a second of work, fine enough to even out the processes
MIN_JOBS = 2000      # fewer jobs than this are not worth starting a process (~3 s to import)

_worker: dict = {}   # in a worker process: its job runner and the counter


@dataclass(frozen=True)
class Targets:
    """Where the locations go: the patterns of the settings (picklable)."""

    orderers: str
    primes: str

    def url(self, kind: str, code: str) -> str:
        return unit_location(self.orderers if kind == "orderers" else self.primes, code)


class Jobs:
    """The jobs of the project locations in one process: job i < sites is site i's page (to
    both of its locations; not built when both already hold it, built from the same inputs:
    unchanged.py), then one job per location (its index and data files; not built when its
    index says it was built from the same inputs)."""

    def __init__(self, data: project_data.ProjectData, targets: Targets, writer: Writer):
        self.places = ProjectLocations(data)
        self.data, self.targets, self.writer = data, targets, writer
        self._where: dict[tuple[str, str], Location] = {}
        self._digests: dict[int, str] = {}
        # each site's two locations: its orderer's and its prime's
        self.site_units: list[list[tuple[str, str]]] = [[] for _ in self.places.records]
        for unit in self.places.units:
            for i in unit.sites:
                self.site_units[i].append((unit.kind, unit.code))

    def __len__(self) -> int:
        return len(self.places.records) + len(self.places.units)

    def first_unit(self) -> tuple[str, str]:
        unit = self.places.units[0]
        return unit.kind, unit.code

    def where(self, kind: str, code: str) -> Location:
        key = (kind, code)
        if key not in self._where:
            self._where[key] = self.writer.at(self.targets.url(kind, code))
        return self._where[key]

    def run(self, job: int) -> None:
        sites = len(self.places.records)
        if job < sites:
            record = self.places.records[job]
            relative = site_page_path(record["site_id"])
            places = [self.where(kind, code) for kind, code in self.site_units[job]]
            if not places:
                return      # a site without an orderer or a prime is listed nowhere
            inputs = self._site_digest(job)
            first = unchanged.published_digest(places[0], relative)
            if first == inputs and all(unchanged.published_digest(where, relative) == inputs for where in places[1:]):
                # built from the same figures by the same code: every copy is left as it is
                self.writer.wrote([where.url_of(relative) for where in places])
                return
            page = build_site_page(record, self.data, inputs).encode("utf-8")
            # the page holds its site's id: no other file has its bytes (its other copies are
            # links). A copy carrying another digest cannot hold these bytes, which carry this
            # one: it is replaced without being read back (a page whose as-of date alone moved
            # keeps its size, so the size did not tell)
            self.writer.write(places[0], relative, page, unique=True, differs=first not in (None, inputs))
            for where in places[1:]:
                self.writer.copy(where, relative, page, (places[0], relative))
        else:
            unit = self.places.units[job - sites]
            where = self.where(unit.kind, unit.code)
            site_pages = [site_page_path(self.places.records[i]["site_id"]) for i in unit.sites]
            inputs = unchanged.location_digest(unit.kind, unit.code, unit.name, self.places.as_of(unit),
                                               [self._site_digest(i) for i in unit.sites])
            if (unchanged.published_digest(where, INDEX) == inputs
                    and location_files.keep(self.writer, where, INDEX, site_pages)):
                return
            page, files = self.places.build(unit, inputs)
            write_location(self.writer, where, page, files, site_pages)

    def _site_digest(self, site: int) -> str:
        """Site ``site``'s page digest, once per process (its page's job and its two locations'
        ask for it)."""
        digest = self._digests.get(site)
        if digest is None:
            digest = self._digests[site] = unchanged.site_digest(self.places.records[site], self.data)
        return digest


def worth_it(gold: Location, targets: Targets, jobs: int, workers: int) -> bool:
    """Whether worker processes should share the jobs (local folders only)."""
    local = isinstance(gold.fs, LocalFileSystem) and "://" not in targets.orderers and "://" not in targets.primes
    return local and workers > 1 and jobs >= MIN_JOBS


def _take(counter, total: int) -> range | None:
    with counter.get_lock():
        start = counter.value
        if start >= total:
            return None
        counter.value = min(start + CHUNK, total)
    return range(start, min(start + CHUNK, total))


def run_chunks(jobs: Jobs, counter, go_on=lambda: True) -> None:
    """Take chunks until none are left (or ``go_on()`` is false) and run their jobs."""
    while go_on() and (chunk := _take(counter, len(jobs))) is not None:
        for job in chunk:
            jobs.run(job)


def _start_worker(gold_url: str, as_of: date | None, targets: Targets, counter, plotly_copy: str | None) -> None:
    writer = Writer(None, plotly_copy=plotly_copy)
    _worker.update(jobs=Jobs(project_data.load(locate(gold_url), as_of), targets, writer), counter=counter)


def _run_worker() -> list[str]:
    parent = multiprocessing.parent_process()
    jobs = _worker["jobs"]
    run_chunks(jobs, _worker["counter"], go_on=lambda: parent is None or parent.is_alive())
    return jobs.writer.written


class ProjectWorkers:
    """Worker processes running project jobs beside this one: :meth:`start`, then :meth:`join`."""

    def __init__(self, pool: ProcessPoolExecutor, futures: list[Future], counter):
        self._pool, self._futures, self._counter = pool, futures, counter

    @classmethod
    def start(cls, gold_url: str, as_of: date | None, targets: Targets, workers: int,
              plotly_copy: str | None = None) -> "ProjectWorkers":
        context = multiprocessing.get_context("spawn")
        counter = context.Value("q", 0)
        pool = ProcessPoolExecutor(max_workers=workers - 1, mp_context=context, initializer=_start_worker,
                                   initargs=(gold_url, as_of, targets, counter, plotly_copy))
        return cls(pool, [pool.submit(_run_worker) for _ in range(workers - 1)], counter)

    def join(self, jobs: Jobs | None) -> list[str]:
        """Run jobs here too (unless ``jobs`` is None) until none are left; every path the
        workers wrote."""
        written = []
        try:
            if jobs is not None:
                run_chunks(jobs, self._counter)
            for future in self._futures:
                written += future.result()
        finally:
            self.stop()
        return written

    def stop(self) -> None:
        with self._counter.get_lock():
            self._counter.value = 2**62
        self._pool.shutdown(wait=True)
