"""Reading a long Kamerbrief, in process: the letter pipeline's own speed (DESIGN §9)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from flask import Flask

SEED_LETTER = (
    Path(__file__).resolve().parent.parent
    / "seeds"
    / "letters"
    / "2019-04-11_kst-32735-243_libie-migratie.txt"
)


def bench_letter(app: Flask, repeats: int = 3) -> dict[str, Any]:
    """A 30-page letter (the 2019 letter fifteen times over) read and analysed against the
    register in ``app``'s database: its fulfilments are matched with the open promises, so the
    time grows with the register (at 100,000 promises, seconds per reading)."""
    from app.letters.extract import read_letter

    one = SEED_LETTER.read_text(encoding="utf-8")
    body = one.split("Den Haag, 11 april 2019", 1)[1].rsplit("De Staatssecretaris", 1)[0]
    letter = one.replace(body, body * 15)
    with app.app_context():
        read_letter(one)  # warm up: rules compiled, caches filled
        timings, cpu = [], []
        for _ in range(repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            reading = read_letter(letter)
            timings.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    result = {
        "pages": round(len(letter) / 3000),
        "characters": len(letter),
        "median_ms": round(statistics.median(timings) * 1000),
        # The process's own CPU time (SQLite runs in it): what reading costs on a machine that
        # is not busy with other work, where the wall-clock time also counts waiting for a core.
        "median_cpu_ms": round(statistics.median(cpu) * 1000),
        "promises": len(reading.promises),
        "fulfilments": len(reading.fulfilments),
    }
    print(
        f"\nBrief van ~{result['pages']} pagina's ({len(letter):,} tekens): "
        f"{result['median_ms']} ms ({result['median_cpu_ms']} ms processortijd), "
        f"{result['promises']} toezeggingen, "
        f"{result['fulfilments']} nakomingen (doel: onder 1000 ms)"
    )
    return result
