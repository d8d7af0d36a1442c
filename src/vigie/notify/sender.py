"""`vigie notify send`: deliver the drafted patient messages through the ledger.

For each patient (manifest order), channels are tried in the given order: the first one
that accepts the message ends it; a bounce or a missing address moves to the next. A
bounce that comes back later as a receipt (`vigie notify receipts`) marks the row
bounced, so the next run moves that patient on to the next channel.
Never twice: a message already 'sent' is skipped, an in-doubt 'pending' one is looked up
at the provider first. Never lost: the outbox row exists before the send, so a rerun
finds every unfinished message. Sends are spaced to respect the rate limit; temporary
failures are retried with exponential backoff.
"""

from __future__ import annotations

import csv
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from itertools import groupby
from pathlib import Path

from sqlalchemy import Engine

from vigie.errors import InputError, UsageError
from vigie.incidents.affected import open_csv_input
from vigie.incidents.keys import master_key, person_key
from vigie.incidents.register import load_incident, record_event
from vigie.notify.channels import Bounce, LetterChannel, TransientError
from vigie.notify.ledger import Ledger


class RateLimiter:
    """At most `per_second` sends a second across all workers (0: no limit).

    `clock` and `sleep` default to the monotonic clock and time.sleep; tests pass a fake
    pair to check the spacing without waiting."""

    def __init__(self, per_second: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 1.0 / per_second if per_second > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:                      # book a slot, then sleep outside the lock
            slot = max(self.next_at, self.clock())
            self.next_at = slot + self.interval
        delay = slot - self.clock()
        if delay > 0:
            self.sleep(delay)


def latest_patients_draft(incident) -> tuple[Path, str]:
    """(folder, template version) of the last `notify draft patients`."""
    drafts = [d for d in incident.drafts if d.get("document") == "patients"]
    if not drafts:
        raise UsageError(f"no patient messages drafted yet (vigie notify draft patients "
                         f"--incident {incident.id} ...)")
    return Path(drafts[-1]["out"]), drafts[-1]["template_version"]


def _manifest(folder: Path):
    path = folder / "manifest.csv"
    with open_csv_input(path) as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            if None in row or not row.get("registry_id") or not row.get("channel"):
                raise InputError(path, "malformed manifest row", line=reader.line_num)
            file = folder / row["file"]
            if file.parent != folder:
                raise InputError(path, "file outside the patients folder", line=reader.line_num)
            yield _unquote(row["registry_id"]), row["channel"], file, row.get("kinds", "")


def _unquote(cell: str) -> str:
    """Undo the manifest's formula neutralisation (a quote before = + - @)."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell


def send_incident(engine: Engine, incident_id: int, channels: dict[str, Callable[[], object]],
                  order: list[str], *, rate: float = 20.0, max_attempts: int = 5,
                  backoff: float = 1.0, workers: int = 4, author: str = "dpo",
                  progress: Callable[[Counter], None] | None = None) -> Counter:
    """Send every patient's message; returns counts per outcome (sent, reconciled,
    already_sent, bounced, failed, no_channel). `channels` maps a channel name to a
    factory: each worker thread opens its own channels (an SMTP connection is not
    thread-safe). A patient is handled by one worker only, so the ledger rules hold.
    Letters end up in a batch folder with its manifest.csv (file,registry_id,kinds)."""
    if not order or any(c not in channels for c in order):
        raise UsageError("--channels: each channel needs its settings (--smtp, --sms-url, "
                         "--letters-dir)")
    incident = load_incident(engine, incident_id)
    folder, template_version = latest_patients_draft(incident)
    ledger = Ledger(engine, incident_id, template_version)
    state = ledger.snapshot()
    key = master_key()
    limiter = RateLimiter(rate)
    local = threading.local()
    opened: list = []
    opened_lock = threading.Lock()

    def thread_channels() -> dict:
        if not hasattr(local, "channels"):
            local.channels = {name: factory() for name, factory in channels.items()}
            with opened_lock:
                opened.extend(local.channels.values())
        return local.channels

    def job(registry_id: str, rows: list):
        files = {channel: file for _, channel, file, _ in rows}
        return registry_id, rows[0][3], _deliver_one(
            ledger, state, person_key(key, registry_id), files, thread_channels(), order,
            limiter, max_attempts, backoff)

    counts: Counter = Counter()
    letters: list[tuple[str, str, str]] = []

    def collect(futures) -> None:
        for future in futures:
            registry_id, kinds, (outcome, used, provider_id) = future.result()
            counts[outcome] += 1
            if used == "letter":
                letters.append((provider_id, registry_id, kinds))
        if progress:
            progress(counts)

    try:
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            pending: set = set()
            for registry_id, rows in groupby(_manifest(folder), key=lambda r: r[0]):
                pending.add(pool.submit(job, registry_id, list(rows)))
                if len(pending) >= 64 * max(1, workers):      # bounded memory
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    collect(done)
            collect(pending)
        if "letter" in channels:
            letter = channels["letter"]()
            if not isinstance(letter, LetterChannel):
                raise TypeError("the 'letter' channel must be a LetterChannel")
            letter.write_manifest(sorted(letters))
    finally:
        for channel in opened:
            channel.close()
        record_event(engine, incident_id, "send", author,
                     {"template_version": template_version, "counts": dict(counts)})
    return counts


def _deliver_one(ledger: Ledger, state: dict, pkey: str, files: dict, channels: dict,
                 order: list[str], limiter: RateLimiter, max_attempts: int, backoff: float
                 ) -> tuple[str, str | None, str | None]:
    """One patient: the first channel that takes the message wins.
    Returns (outcome, channel used, provider message id)."""
    bounced = False
    for name in order:
        if name not in files:
            continue
        channel = channels[name]
        key = ledger.key(pkey, name)
        row = state.get(key)
        if row is not None and row.status in ("sent", "delivered"):
            return "already_sent", name, row.provider_id
        if row is not None and row.status == "bounced":
            bounced = True
            continue
        if row is not None and row.attempts > 0:
            # In doubt: the last run may have died after the provider took the message.
            found = _with_retries(lambda: channel.lookup(key),  # noqa: B023 - called now
                                  max_attempts, backoff)
            if found:
                ledger.mark(key, "sent", provider_id=found)
                return "reconciled", name, found
        attempts = row.attempts if row is not None else 0

        def attempt(key=key, name=name, channel=channel):
            nonlocal attempts
            attempts += 1
            ledger.record_attempt(key, pkey, name, attempts)
            limiter.wait()
            return channel.send(files[name], key)
        try:
            provider_id = _with_retries(attempt, max_attempts, backoff)
        except Bounce as exc:
            ledger.mark(key, "bounced", detail=str(exc))
            bounced = True
            continue
        except TransientError as exc:
            ledger.mark(key, "failed", detail=str(exc))
            return "failed", None, None
        ledger.mark(key, "sent", provider_id=provider_id)
        return "sent", name, provider_id
    return ("bounced" if bounced else "no_channel"), None, None


def _with_retries(call, max_attempts: int, backoff: float):
    """Run call(); on TransientError wait backoff, 2×backoff, ... up to max_attempts tries."""
    attempt = 1
    while True:
        try:
            return call()
        except TransientError:
            if attempt >= max_attempts:
                raise
            time.sleep(backoff * 2 ** (attempt - 1))
            attempt += 1
