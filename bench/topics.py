"""Benchmark of topic suggestion (knowledge capability): how often the suggested topic is right,
measured two ways, and how long a suggestion takes.

    .venv/bin/python bench/topics.py                                # a temporary database
    KETNOI_VAR_DIR=/tmp/var-topics .venv/bin/python bench/topics.py --var-dir /tmp/var-topics

1. The database: with --var-dir, that folder's (migrated, and the demo built there when it has
   no case yet); without, a temporary folder removed at the end (migrate + `ketnoi demo`, ~1 min).
2. In distribution: `topic_model_train()` as `ketnoi train_topics` runs it: the demo's resolved
   cases in the order received, trained on the oldest 80 %, tested on the newest 20 %; then
   trained on all of them (a new TopicModel row in that database). The same test cases are also
   tried with their subject line alone (a short text, as a coordinator sees it first).
   The demo writes its cases from a few templates per topic, so this figure flatters the model:
   the test cases reuse the training cases' sentences.
3. Out of distribution: the model trained on all the demo's cases, tested on the hand-written
   Q&A questions of ketnoi/demo/data/knowledge_*.jsonl (each line {"question": ..., "topic": ...};
   whatever lines exist when it runs; their count is printed). Written by people, not by the
   demo's templates: the closer figure to what real cases would give.
4. Time per suggestion: 1,000 calls of `topic_suggest` in this process (model loaded once, as a
   server process keeps it), over a mix of test cases and questions; p50/p95; and of
   `lib.topicmodel.predict` alone.
"""

import argparse
import glob
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = "ketnoi/demo/data/knowledge_*.jsonl"
CALLS = 1000


def percent(value) -> str:
    return "—" if value is None else f"{value * 100:5.1f} %"


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", help="use this KETNOI_VAR_DIR (its database; the demo is built there if it has no case)")
    parser.add_argument("--knowledge", default=KNOWLEDGE, help=f"glob of the Q&A files (default {KNOWLEDGE})")
    parser.add_argument("--misses", type=int, default=8, help="out-of-distribution misses to print")
    args = parser.parse_args()

    workdir = None
    if args.var_dir:
        var_dir = Path(args.var_dir).resolve()
    else:
        workdir = Path(tempfile.mkdtemp(prefix="ketnoi-bench-topics-"))
        var_dir = workdir / "var"
    try:
        os.environ.update({"KETNOI_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "ketnoi.settings",
                           "DATABASE_URL": os.environ.get("DATABASE_URL", "") if args.var_dir else ""})
        ketnoi = [sys.executable, "-m", "ketnoi"]
        subprocess.run([*ketnoi, "migrate", "--no-input", "-v", "0"], check=True, cwd=ROOT)
        sys.path.insert(0, str(ROOT))
        import django
        django.setup()
        from ketnoi.cases.models import Case
        if not Case.objects.exists():
            print("Building the demo (ketnoi demo) …", flush=True)
            subprocess.run([*ketnoi, "demo", "--no-progress", "-v", "0"], check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)
        run(args)
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


def run(args) -> None:
    from ketnoi.cases.models import Topic
    from ketnoi.knowledge import suggest
    from ketnoi.lib import topicmodel

    names = dict(Topic.objects.values_list("code", "name_en"))

    # --- 1. in distribution ---------------------------------------------------------------------
    started = time.monotonic()
    model = suggest.topic_model_train(holdout=0.2)
    seconds = time.monotonic() - started
    evaluation = model.evaluation
    size = len(json.dumps(model.parameters, ensure_ascii=False).encode())
    examples = suggest._resolved_cases()
    test = examples[evaluation["train_cases"]:]
    measured = topicmodel.train(examples[:evaluation["train_cases"]])
    subjects = [(text.split("\n", 1)[0], code) for text, code in test]
    subject_top1 = sum(1 for text, code in subjects
                       if (ranked := topicmodel.predict(measured, text, k=1)) and ranked[0][0] == code)

    print("Topic suggestion: multinomial naive Bayes over folded syllables and syllable pairs "
          "(ketnoi.lib.topicmodel)")
    print(f"Database: {os.environ['KETNOI_VAR_DIR']}  ({model.cases_used} resolved cases of "
          f"{len(model.parameters['labels'])} topics)")
    print(f"Model #{model.pk}: {evaluation['features']} features, {size / 1e6:.2f} MB of parameters; "
          f"`ketnoi train_topics` took {seconds:.1f} s (measure + train on all)")
    print()
    print("1. Demo cases, time-ordered holdout: trained on the oldest "
          f"{evaluation['train_cases']}, tested on the newest {evaluation['test_cases']}")
    print(f"   top-1 {percent(evaluation['top1'])}   top-3 {percent(evaluation['top3'])}   "
          f"no suggestion {evaluation['no_suggestion']}")
    print(f"   subject line only: top-1 {percent(subject_top1 / len(subjects))}")
    print("   CAUTION: the demo writes its cases from a few templates per topic, so the test cases reuse "
          "the training\n   cases' sentences: this figure flatters the model. See 2. for hand-written text.")
    print(f"   {'topic':<44} {'cases':>6} {'recall':>8} {'precision':>10}")
    for row in evaluation["per_topic"]:
        print(f"   {row['topic'] + ' (' + names.get(row['topic'], '?') + ')':<44.44} {row['cases']:>6} "
              f"{percent(row['recall']):>8} {percent(row['precision']):>10}")

    # --- 2. out of distribution -----------------------------------------------------------------
    params = model.parameters
    files = sorted(glob.glob(str(ROOT / args.knowledge))) or sorted(glob.glob(args.knowledge))
    questions, skipped = [], Counter()
    for path in files:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                skipped["not JSON"] += 1
                continue
            question, code = item.get("question"), item.get("topic")
            if not question or not code:
                skipped["no question or topic"] += 1
            elif code not in names:
                skipped[f"unknown topic {code}"] += 1
            else:
                questions.append((question, code))
    print()
    print(f"2. Out of distribution: trained on all {model.cases_used} demo cases, tested on "
          f"{len(questions)} hand-written Q&A questions from {len(files)} file(s) ({args.knowledge})"
          + (f"; skipped: {dict(skipped)}" if skipped else ""))
    ood_texts = [q for q, _ in questions]
    if questions:
        top1 = top3 = none = 0
        cases, correct, suggested = Counter(), Counter(), Counter()
        right_p, wrong_p, misses = [], [], []
        for question, code in questions:
            ranked = topicmodel.predict(params, question, k=3)
            cases[code] += 1
            if not ranked:
                none += 1
                continue
            best, p = ranked[0]
            suggested[best] += 1
            if best == code:
                top1 += 1
                correct[code] += 1
                right_p.append(p)
            else:
                wrong_p.append(p)
                misses.append((question, code, best, topicmodel.explain(params, question, best, n=4)))
            top3 += code in [label for label, _ in ranked]
        n = len(questions)
        print(f"   top-1 {percent(top1 / n)}   top-3 {percent(top3 / n)}   no suggestion {none}")
        if right_p or wrong_p:
            print("   probability of the first suggestion: mean "
                  f"{statistics.mean(right_p) if right_p else float('nan'):.2f} when right, "
                  f"{statistics.mean(wrong_p) if wrong_p else float('nan'):.2f} when wrong "
                  "(naive Bayes is overconfident: rank by it, do not read it as a chance)")
        print(f"   {'topic':<44} {'questions':>9} {'recall':>8} {'precision':>10}")
        for code in [c for c in names if cases[c] or suggested[c]]:
            print(f"   {code + ' (' + names[code] + ')':<44.44} {cases[code]:>9} "
                  f"{percent(correct[code] / cases[code] if cases[code] else None):>8} "
                  f"{percent(correct[code] / suggested[code] if suggested[code] else None):>10}")
        if misses and args.misses:
            print("   some misses (question → suggested, because of):")
            for question, code, best, words in random.Random(1).sample(misses, min(args.misses, len(misses))):
                print(f"   - [{code} → {best}] {question[:90]}{'…' if len(question) > 90 else ''}  ({', '.join(words)})")
    else:
        print("   no question found: nothing measured")

    # --- 3. time per suggestion -----------------------------------------------------------------
    rng = random.Random(2020)
    pool = [text for text, _ in test] + ood_texts
    texts = [rng.choice(pool) for _ in range(CALLS)]
    suggest._loaded = None
    started = time.perf_counter()
    suggest.topic_suggest(text=texts[0])
    cold = time.perf_counter() - started
    timings = []
    for text in texts:
        started = time.perf_counter()
        suggest.topic_suggest(text=text)
        timings.append(time.perf_counter() - started)
    bare = []
    for text in texts:
        started = time.perf_counter()
        topicmodel.predict(params, text, k=3)
        bare.append(time.perf_counter() - started)
    lengths = [len(t) for t in texts]
    print()
    print(f"3. Time per suggestion, {CALLS} calls in-process (texts of {min(lengths)}–{max(lengths)} characters, "
          f"median {int(statistics.median(lengths))}):")
    print(f"   topic_suggest (newest-model check, topics query, predict, explain): "
          f"p50 {quantile(timings, 0.5) * 1000:.2f} ms, p95 {quantile(timings, 0.95) * 1000:.2f} ms")
    print(f"   lib.topicmodel.predict alone: p50 {quantile(bare, 0.5) * 1000:.2f} ms, "
          f"p95 {quantile(bare, 0.95) * 1000:.2f} ms")
    print(f"   first call of a process (loads the parameters): {cold * 1000:.0f} ms")


if __name__ == "__main__":
    sys.exit(main())
