"""`harness cache`: where the persistent cache is, how big, and clearing it."""

from __future__ import annotations

import click

from harness.run import cache as cache_store


@click.group()
def cache() -> None:
    """The cache of analysed texts and pair scores that makes reruns fast.

    \b
    It lives in $HARNESS_CACHE_DIR, else $XDG_CACHE_HOME/harness, else ~/.cache/harness.
    `harness score --no-cache` bypasses it for one run.

    \b
    Examples:
      harness cache info
      harness cache clear
    """


@cache.command()
def info() -> None:
    """Print the cache's path, size and number of entries."""
    found = cache_store.info()
    older = "" if not found.older else (f"; {_older(found.older)} ({found.older_bytes / 2**20:.1f} MiB), which no "
                                        "release reads and `harness cache clear` removes")
    if found.problem:
        click.echo(f"{found.path}: {found.problem}{older}")
        return
    if not found.exists:
        click.echo(f"{found.path}: no cache yet{older}")
        return
    click.echo(f"{found.path}: {found.bytes / 2**20:.1f} MiB, {found.analyses} analysed texts, {found.pairs} pair scores{older}")


@cache.command()
def clear() -> None:
    """Delete the cache, earlier versions' cache files and the files derived from jieba's
    dictionary (all are rebuilt as needed)."""
    gone = cache_store.clear()
    also = [text for n, text in ((gone.older, _older(gone.older)),
                                 (gone.dictionaries, f"{gone.dictionaries} jieba dictionary cache{'s' * (gone.dictionaries > 1)}"))
            if n]
    if gone.problem:
        click.echo(f"{gone.path}: {gone.problem}; not removed" + (f"; removed {' and '.join(also)}" if also else ""))
        return
    if not gone.exists:
        click.echo(f"{gone.path}: no cache to clear" + (f"; removed {' and '.join(also)}" if also else ""))
        return
    click.echo(f"removed {gone.path}: {gone.analyses} analysed texts, {gone.pairs} pair scores"
               + (f" and {' and '.join(also)}" if also else ""))


def _older(n: int) -> str:
    return f"{n} cache file of an earlier version" if n == 1 else f"{n} cache files of earlier versions"
