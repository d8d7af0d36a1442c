"""The sender's rate limiter: N messages a second means M messages take at least
(M - 1) / N seconds, across all worker threads. Checked on a fake clock (no waiting, no
timing flakiness), then once through `send_incident` against the wall clock (a lower
bound only, which a slow machine cannot break)."""

from __future__ import annotations

import threading
import time

import pytest

from vigie.notify.channels import LetterChannel
from vigie.notify.patients import draft_patients
from vigie.notify.sender import RateLimiter, send_incident


class FakeClock:
    """A monotonic clock that moves only when someone sleeps on it."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.lock = threading.Lock()
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds


class FrozenClock(FakeClock):
    """A clock that never moves: each wait's sleep is exactly how far ahead its slot is."""

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)


def test_m_messages_at_n_per_second_take_m_minus_one_over_n_seconds():
    clock = FakeClock()
    limiter = RateLimiter(5.0, clock=clock, sleep=clock.sleep)
    sent_at = []
    for _ in range(11):
        limiter.wait()
        sent_at.append(clock())
    assert sent_at[-1] - sent_at[0] == pytest.approx(10 / 5.0)     # (M - 1) / N, no more
    gaps = [b - a for a, b in zip(sent_at, sent_at[1:])]
    assert min(gaps) == pytest.approx(0.2)


def test_time_already_spent_elsewhere_is_not_waited_again():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 5.0                       # the send itself took longer than the interval
    limiter.wait()
    assert clock.sleeps == []


def test_slots_are_shared_by_all_worker_threads():
    clock = FrozenClock()
    limiter = RateLimiter(10.0, clock=clock, sleep=clock.sleep)
    threads = [threading.Thread(target=lambda: [limiter.wait() for _ in range(5)])
               for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 20 sends booked 0.1 s apart whatever thread made them: the first one goes at once,
    # each of the 19 others waits for its own slot.
    assert sorted(clock.sleeps) == pytest.approx([n / 10.0 for n in range(1, 20)])


def test_rate_zero_never_sleeps():
    clock = FakeClock()
    limiter = RateLimiter(0, clock=clock, sleep=clock.sleep)
    for _ in range(100):
        limiter.wait()
    assert clock.sleeps == []


def test_send_incident_applies_the_rate(make_incident, tmp_path):
    engine, incident_id, inputs = make_incident(patients=12)
    draft_patients(engine, incident_id, inputs["registry"], tmp_path / "out")
    letters = {"letter": lambda: LetterChannel(tmp_path / "letters")}
    started = time.monotonic()
    counts = send_incident(engine, incident_id, letters, ["letter"], rate=10.0, workers=4)
    elapsed = time.monotonic() - started
    assert counts["sent"] == 12
    assert elapsed >= 11 / 10.0              # 12 letters at 10 a second, 4 workers or not
