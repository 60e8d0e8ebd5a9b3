"""Dask as the executor (harness.run.distributed): a LocalCluster run, a run on a scheduler and two
workers started here on 127.0.0.1, and the API with `client.get_executor()`, each compared byte
for byte with `--jobs 1`; an unreachable scheduler; the option's validation.

Every expected output is computed independently by the harness's one-process path (`--jobs 1`,
which uses no executor at all), plus one hand-computed number (the tiny corpus of conftest.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CLI_TINY, cli_write

REPO = Path(__file__).resolve().parents[1]
HAS_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(
    not HAS_DASK, reason="Dask is not installed: pip install -e '.[test,dask]' (CI does, so these run there)"
)


def _corpus(root: Path) -> Path:
    """The tiny corpus (document d1) plus 5 documents cut from the shipped article's lines, for 3
    systems, one summary missing; and a user dictionary that joins a word jieba would split."""
    cli_write(root, CLI_TINY)
    lines = [x for x in (REPO / "sources" / "ai-open-source.txt").read_text(encoding="utf-8").splitlines() if x.strip()]
    for i in range(5):
        window = lines[i * 3 : i * 3 + 6]
        cli_write(root, {f"references/d{i + 2}/ref.txt": "\n".join(window[:3])})
        for s, name in enumerate(("good", "half", "bad")):
            if (i, s) != (3, 2):
                cli_write(root, {f"candidates/{name}/d{i + 2}.txt": "\n".join(window[s : s + 3])})
    cli_write(root, {"user.dict": "开源模型 10 n\n"})
    return root


def _score(cli_run, *extra: str):
    result = cli_run("score", "--no-config", "--format", "json", "--user-dict", "user.dict", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def _check_tiny(stdout: str) -> None:
    # Hand-computed in conftest.py: "猫 吃 肉 了" against "猫 吃 鱼" has rouge1 F = 4/7.
    systems = {s["name"]: s for s in json.loads(stdout)["systems"]}
    assert systems["half"]["documents"]["d1"]["rouge1"]["fmeasure"] == pytest.approx(4 / 7, abs=1e-12)


@needs_dask
def test_local_cluster_cold_and_warm_equal_jobs_1(tmp_path, cli_run, monkeypatch):
    _corpus(tmp_path)
    expected = _score(cli_run, "--jobs", "1", "--no-cache")
    _check_tiny(expected.stdout)
    cache = tmp_path / "cache"  # a cache of its own, with the session's jieba dictionary (not rebuilt per worker)
    cache.mkdir()
    for dictionary in Path(os.environ["HARNESS_CACHE_DIR"]).glob("jieba-*.cache"):
        shutil.copy(dictionary, cache / dictionary.name)
    monkeypatch.setenv("HARNESS_CACHE_DIR", str(cache))
    cold = _score(cli_run, "--executor", "dask", "--jobs", "2")  # a LocalCluster of 2 workers; fills the cache
    warm = _score(cli_run, "--executor", "dask", "--jobs", "2")  # every document cached: no cluster started
    assert (cold.stdout, cold.stderr) == (warm.stdout, warm.stderr) == (expected.stdout, expected.stderr)


@pytest.fixture(scope="module")
def scheduler(tmp_path_factory):
    """The address of a `dask scheduler` with two single-threaded `dask worker` processes on
    127.0.0.1, started for this module and stopped after it."""
    if not HAS_DASK:
        pytest.skip("Dask is not installed")
    import distributed

    folder = tmp_path_factory.mktemp("dask")
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": folder}
    file = folder / "scheduler.json"
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(file)], **quiet)]
    try:
        deadline = time.monotonic() + 60
        while not file.exists() or not file.read_text().strip():
            assert time.monotonic() < deadline and procs[0].poll() is None, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(file.read_text())["address"]
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", address, "--nthreads", "1",
                                           "--nworkers", "1", "--no-dashboard", "--host", "127.0.0.1"], **quiet))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in procs:  # killed, not terminated: a graceful Dask shutdown takes seconds, and nothing here needs it
            proc.kill()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_scheduler_and_two_workers_equal_jobs_1(tmp_path, cli_run, scheduler):
    _corpus(tmp_path)
    expected = _score(cli_run, "--jobs", "1", "--no-cache")
    got = _score(cli_run, "--executor", scheduler, "--no-cache")
    assert (got.stdout, got.stderr) == (expected.stdout, expected.stderr)
    _check_tiny(got.stdout)


def test_api_with_client_get_executor(tmp_path, scheduler):
    import distributed

    import harness
    from harness.results.contract import dumps_json, to_json_obj

    corpus = harness.load_corpus(_corpus(tmp_path) / "references", tmp_path / "candidates")
    expected = dumps_json(to_json_obj(harness.evaluate(corpus)))
    with distributed.Client(scheduler, set_as_default=False) as client:
        got = dumps_json(to_json_obj(harness.evaluate(corpus, executor=client.get_executor(), jobs=2)))
    assert got == expected
    _check_tiny(got)


def test_ray_recipe_of_docs_scale(tmp_path):
    """docs/scale.md's Ray recipe, run where Ray is installed (never installed for this suite)."""
    ray = pytest.importorskip("ray", reason="Ray is not installed (docs/scale.md's recipe is tested where it is)")
    from concurrent.futures import Executor, Future

    import harness
    from harness.results.contract import dumps_json, to_json_obj

    class RayExecutor(Executor):  # the recipe: a Ray task per shard, its ObjectRef as a Future
        def submit(self, fn, /, *args, **kwargs) -> Future:
            return ray.remote(fn).remote(*args, **kwargs).future()

    corpus = harness.load_corpus(_corpus(tmp_path) / "references", tmp_path / "candidates")
    ray.init(num_cpus=2, include_dashboard=False)
    try:
        got = harness.evaluate(corpus, executor=RayExecutor(), jobs=2)
    finally:
        ray.shutdown()
    assert dumps_json(to_json_obj(got)) == dumps_json(to_json_obj(harness.evaluate(corpus)))


@needs_dask
def test_unreachable_scheduler_is_one_line_and_exit_2(tmp_path, cli_run, monkeypatch):
    from harness.run import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 1.0)  # the default 8 s would only slow the suite
    with socket.socket() as s:  # a port nobody listens on once this socket is closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _corpus(tmp_path)
    result = cli_run("score", "--no-config", "--no-cache", "--executor", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --executor tcp://127.0.0.1:{port}: cannot reach the Dask scheduler")


@needs_dask
@pytest.mark.filterwarnings("ignore:Port 8787 is already in use")
def test_a_cluster_without_workers_ends_with_an_error(tmp_path, cli_run, monkeypatch):
    import distributed as dask_distributed

    from harness.run import distributed

    monkeypatch.setattr(distributed, "NO_WORKER_GRACE", 1.0)  # 30 s by default
    monkeypatch.setattr(distributed, "_POLL", 0.2)
    _corpus(tmp_path)
    # A scheduler in this process with no worker at all: Dask would wait for one forever.
    with dask_distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=None) as cluster:
        result = cli_run("score", "--no-config", "--no-cache", "--executor", cluster.scheduler_address)
    assert result.exit_code == 2 and result.stdout == ""
    # 6 documents in shards sized for one worker (none is connected): ceil(6 / 8) = 1 document each.
    assert result.stderr == (
        "Error: no worker has been connected to the Dask scheduler for 1 s; the run cannot finish "
        "(6 shards of documents unscored)\n"
    )


def test_executor_validated_on_the_command_line_and_in_config(tmp_path, cli_run, cli_corpus):
    result = cli_run("score", "--no-config", "--executor", "spark")
    assert result.exit_code == 2 and "--executor 'spark': expected processes, dask or a Dask scheduler address" in result.stderr
    (tmp_path / "pyproject.toml").write_text('[tool.harness]\nexecutor = "spark"\n', encoding="utf-8")
    result = cli_run("score")
    assert result.exit_code == 2 and "'executor' must be processes, dask or a Dask scheduler address" in result.stderr


def test_dask_missing_is_a_clear_error(tmp_path, cli_run, cli_corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed: importing it fails
    result = cli_run("score", "--no-config", "--no-cache", "--executor", "dask")
    assert result.exit_code == 2
    assert result.stderr == "Error: --executor dask: Dask is not installed (pip install 'harness[dask]')\n"


def test_process_pool_executor_through_the_api(tmp_path):
    from concurrent.futures import ProcessPoolExecutor

    import harness
    from harness.results.contract import dumps_json, to_json_obj

    corpus = harness.load_corpus(_corpus(tmp_path) / "references", tmp_path / "candidates")
    with ProcessPoolExecutor(2) as executor:
        got = harness.evaluate(corpus, harness.Settings(unit="char"), executor=executor, jobs=2)
    assert dumps_json(to_json_obj(got)) == dumps_json(to_json_obj(harness.evaluate(corpus, harness.Settings(unit="char"))))
