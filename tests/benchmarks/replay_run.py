"""Run one preview of a scorecard draft, start to end, in this process: what
``test_replay`` measures in a fresh process (``python -m tests.benchmarks.replay_run
SCORECARD_ID``). Prints one JSON line: status, seconds, accounts, chunks, renewals."""

from __future__ import annotations

import dataclasses
import json
import sys
import time

import django


def main(scorecard_id: int) -> None:
    django.setup()
    from core import jobs
    from healthscores import services
    from healthscores.models import Scorecard

    scorecard = Scorecard.objects.get(pk=scorecard_id)
    saved = services.draft_of(scorecard, scorecard.measures.all())
    # A typical edit: stricter bands, active users weighed double, tickets half.
    draft = dataclasses.replace(
        saved,
        red_below=saved.red_below + 5,
        green_from=min(100.0, saved.green_from + 5),
        measures=tuple(
            dataclasses.replace(
                m,
                weight=m.weight * {"active_users": 2.0, "urgent_tickets": 0.5}.get(m.kind, 1.0),
            )
            for m in saved.measures
        ),
    )
    began = time.perf_counter()
    job = services.scorecard_replay_request(scorecard_id=scorecard.pk, draft=draft, user=None)
    jobs.job_run(job_id=job.pk, inline=True)
    seconds = time.perf_counter() - began
    job.refresh_from_db()
    replay = job.result.get("replay", {})
    print(
        json.dumps(
            {
                "status": job.status,
                "error": job.error,
                "seconds": seconds,
                "accounts": job.accounts_total,
                "chunks": job.chunks_total,
                "renewals": replay.get("current", {}).get("outcomes", 0),
                "auc": [replay.get("current", {}).get("auc"), replay.get("draft", {}).get("auc")],
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
