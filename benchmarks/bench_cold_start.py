"""Cold starts, measured as a user meets them, each step a fresh process of the installed CLI.

    .venv/bin/python benchmarks/bench_cold_start.py [--titles 1000] [--data-dir DIR] [--reuse]

1. `db upgrade` on an empty data dir, then `demo` (accounts to sign in with), then `taxonomy import-esco` (which
   encodes the new taxonomy's labels for MiniLM with a progress bar: the minutes a first request used to pay).
2. The first `skills normalize-titles` of N job titles after the import, then the same command again (warm):
   goal, first within 2x of warm.
3. `serve` started; as soon as it answers, the first sign-in (POST /api/auth/login) and the first page after it
   (GET /me): goal, sign-in < 1 s. Then how long until /api/health says every component is ready.
4. An operator adds a skill alias through the API (as the aliases page does): how long the first skill suggestion
   request after it takes (before 2026-12-07 it waited while every taxonomy label was encoded again, minutes with
   ESCO; now the server rebuilds the skill finder in the background and the request says "warming up" at once),
   how long until a suggestion uses the alias, and a suggestion after that.

Titles are read in place from the development set named by TALENTBRIDGE_EVAL_DIR (default
../shared/data/eval-dev) into the benchmark's temporary data dir; nothing from it is printed. ESCO comes from
TALENTBRIDGE_ESCO_DIR (default ../shared/data/esco).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ../shared/data beside the repository (from a worktree under /work/wt/, two levels up)
SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data"
)


def _args() -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--titles", type=int, default=1000)
    ap.add_argument("--data-dir", type=Path, default=ROOT / ".bench-cache" / "cold-start")
    ap.add_argument("--reuse", action="store_true", help="keep the data dir of an earlier run (skip steps 1)")
    ap.add_argument("--taxonomy", choices=("esco", "builtin"), default="esco", help="import ESCO (default) or not")
    ap.add_argument(
        "--keep-cache",
        action="store_true",
        help="keep <data-dir>/cache (label encodings of an earlier run, keyed by model and taxonomy content): "
        "the setup then reads them back instead of encoding; the first query after it is measured the same way",
    )
    return ap.parse_args()


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TALENTBRIDGE_")}
    env["TALENTBRIDGE_DATA_DIR"] = str(data_dir)
    env["COLUMNS"] = "120"
    return env


CLI = [sys.executable, "-c", "from talentbridge.cli import main; main()"]


def _timed(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(CLI + args, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    print(f"  {' '.join(args[:2])}: {seconds:.1f} s", flush=True)
    return seconds


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(url: str, body: dict | None = None, headers: dict | None = None) -> tuple[int, bytes, float]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:
            content = resp.read()
            return resp.status, content, time.perf_counter() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), time.perf_counter() - started


def _serve(env: dict[str, str]) -> dict[str, float | str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        CLI + ["serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    out: dict[str, float | str] = {}
    try:
        while True:
            try:
                status, _, _ = _request(f"{base}/api/health")
                break
            except OSError:
                if proc.poll() is not None:
                    sys.exit(f"serve exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
                time.sleep(0.05)
        out["serving after"] = time.perf_counter() - started
        status, body, seconds = _request(
            f"{base}/api/auth/login", {"email": "talent@demo.talentbridge.kr", "password": "talentbridge-demo"}
        )
        assert status == 200, (status, body[:300])
        out["first sign-in"] = seconds
        # the session cookie of the sign-in, for the first page
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        req = urllib.request.Request(
            f"{base}/api/auth/login",
            data=json.dumps({"email": "talent@demo.talentbridge.kr", "password": "talentbridge-demo"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        opener.open(req, timeout=300).read()
        t0 = time.perf_counter()
        with opener.open(f"{base}/me", timeout=300) as resp:
            resp.read()
        out["first page after sign-in (/me)"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with opener.open(f"{base}/me/recommendations", timeout=300) as resp:
            resp.read()
        out["first recommendations page"] = time.perf_counter() - t0
        health = json.loads(_request(f"{base}/api/health")[1])
        out["components at sign-in"] = ", ".join(f"{k} {v['status']}" for k, v in health["components"].items())
        while not health["ready"]:
            time.sleep(0.5)
            health = json.loads(_request(f"{base}/api/health")[1])
        out["every component ready after"] = time.perf_counter() - started
        out["ready states"] = ", ".join(
            f"{k} {v['status']} ({v.get('seconds', '?')} s)" for k, v in health["components"].items()
        )
        out.update(_after_an_alias(base))
    finally:
        proc.terminate()
        proc.wait(30)
    return out


def _after_an_alias(base: str) -> dict[str, float | str]:
    """An operator adds an alias (as on the aliases page); the skill finder is rebuilt for the next text: how long
    the first suggestion after it takes, and the next one (warm)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def post(path: str, body: dict, csrf: str = "") -> tuple[int, dict, float]:
        req = urllib.request.Request(
            f"{base}{path}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
        )  # fmt: skip
        t0 = time.perf_counter()
        try:
            with opener.open(req, timeout=900) as resp:
                status, data = resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:  # 503 "warming up" while the skill finder is rebuilt
            status, data = exc.code, json.loads(exc.read() or b"{}")
        return status, data, time.perf_counter() - t0

    _, me, _ = post("/api/auth/login", {"email": "operator@demo.talentbridge.kr", "password": "talentbridge-demo"})
    csrf = me["csrf_token"]
    text = {"text": "비전 검사 모델은 파이토치로 학습하고 독커로 배포합니다"}
    post("/api/skills/suggest", text, csrf)  # the skill finder as it was
    post("/api/taxonomy/aliases", {"skill_id": "docker", "alias": f"독커{int(time.time()) % 100000}"}, csrf)
    added = time.perf_counter()
    status, _, first = post("/api/skills/suggest", text, csrf)
    answers = [status]
    while status != 200:  # ask again until the rebuilt skill finder answers
        time.sleep(0.2)
        status, _, _ = post("/api/skills/suggest", text, csrf)
        answers.append(status)
    ready = time.perf_counter() - added
    _, _, warm = post("/api/skills/suggest", text, csrf)
    said = "answered" if answers[0] == 200 else f"said warming up ({answers[0]})"
    return {
        f"after an alias: first suggestion request ({said})": first,
        "after an alias: until a suggestion uses the alias": ready,
        "after an alias: a suggestion once ready": warm,
    }


def main() -> None:
    args = _args()
    esco = Path(os.environ.get("TALENTBRIDGE_ESCO_DIR", SHARED / "esco"))
    evaldir = Path(os.environ.get("TALENTBRIDGE_EVAL_DIR", SHARED / "eval-dev"))
    data_dir = args.data_dir
    env = _env(data_dir)
    rows: list[tuple[str, str, str]] = []
    if not args.reuse or not (data_dir / "talentbridge.sqlite3").exists():
        for child in data_dir.iterdir() if data_dir.exists() else []:
            if not (args.keep_cache and child.name == "cache"):
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        data_dir.mkdir(parents=True, exist_ok=True)
        print("setting up (fresh data dir, empty caches):", flush=True)
        up = _timed(["db", "upgrade"], env)
        _timed(["demo", "--talents", "300", "--orgs", "30", "--seed", "42"], env)
        imp = 0.0
        if args.taxonomy == "esco":
            imp = _timed(
                [
                    "taxonomy",
                    "import-esco",
                    str(esco / "esco_v1.1.1_classification_en_csv.zip"),
                    str(esco / "esco_v1.1.1_relations_csv.zip"),
                ],
                env,
            )
        manifest = json.loads((data_dir / "cache" / "embeddings" / "label-encodings.json").read_text())
        encode = max(e["seconds"] for e in manifest.values())
        rows.append(("db upgrade (built-in taxonomy, its labels encoded)", f"{up:.1f} s", "once per install"))
        if args.taxonomy == "esco":
            rows.append(("taxonomy import-esco, of which label encoding", f"{imp:.0f} s, {encode:.0f} s", "once"))

    titles_file = data_dir / "bench-titles.txt"
    with (evaldir / "jobbert-titles" / "titles.validation.csv").open(encoding="utf-8") as fh:
        titles = [r["vacancyTitle"].replace("\n", " ") for r in csv.DictReader(fh)][: args.titles]
    titles_file.write_text("\n".join(titles) + "\n", encoding="utf-8")
    print(f"normalize-titles of {len(titles)} titles:", flush=True)
    cmd = ["skills", "normalize-titles", "-i", str(titles_file), "-o", str(data_dir / "out.csv")]
    first = _timed(cmd, env)
    warm = _timed(cmd, env)
    rows += [
        (f"first `skills normalize-titles` of {len(titles):,} titles after import", f"{first:.1f} s", ""),
        ("the same, warm (second run)", f"{warm:.1f} s", ""),
        ("first / warm", f"{first / warm:.2f}x", "≤ 2x"),
    ]
    print("serve:", flush=True)
    served = _serve(env)
    for name, value in served.items():
        goal = "< 1 s" if name == "first sign-in" else ""
        rows.append((f"serve: {name}", f"{value:.2f} s" if isinstance(value, float) else value, goal))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{width}}  {'value':>16}  goal")
    for name, value, goal in rows:
        print(f"{name:<{width}}  {value:>16}  {goal}")


if __name__ == "__main__":
    main()
