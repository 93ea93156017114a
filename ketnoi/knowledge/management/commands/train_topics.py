"""Train the topic-suggestion model on the resolved cases and print how well it did.

    ketnoi train_topics            (also: ketnoi train-topics)
    ketnoi train_topics --holdout 0.2 --no-progress
"""

import json
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ketnoi.cases.models import Topic
from ketnoi.knowledge.suggest import topic_model_train


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


class Command(BaseCommand):
    help = ("Train the topic-suggestion model on the resolved cases: measure it on the newest cases "
            "(trained on the older ones), then train it on all of them and make it the model in use.")

    def add_arguments(self, parser):
        parser.add_argument("--holdout", type=float, default=0.2,
                            help="share of the newest resolved cases kept to measure accuracy (0: do not measure)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, holdout, no_progress, **options):
        quiet = no_progress or options["verbosity"] == 0

        def progress(iterable, **kw):
            return tqdm(iterable, disable=quiet, ncols=80, **kw)

        started = time.monotonic()
        try:
            model = topic_model_train(holdout=holdout, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        evaluation = model.evaluation
        size = len(json.dumps(model.parameters, ensure_ascii=False).encode())
        self.stdout.write(f"Topic model #{model.pk}: {model.cases_used} resolved cases, "
                          f"{evaluation['features']} features, {size / 1e6:.2f} MB of parameters "
                          f"({time.monotonic() - started:.1f} s)")
        if "top1" not in evaluation:
            self.stdout.write("Accuracy not measured (--holdout 0).")
            return
        self.stdout.write(
            f"Measured on the newest {evaluation['test_cases']} cases, trained on the "
            f"{evaluation['train_cases']} before them: top-1 {_percent(evaluation['top1'])}, "
            f"top-3 {_percent(evaluation['top3'])}, no suggestion for {evaluation['no_suggestion']}.")
        names = dict(Topic.objects.values_list("code", "name_en"))
        self.stdout.write(f"\n{'topic':<48} {'cases':>6} {'recall':>8} {'precision':>10}")
        for row in evaluation["per_topic"]:
            name = f"{row['topic']} ({names.get(row['topic'], '?')})"
            self.stdout.write(f"{name[:48]:<48} {row['cases']:>6} {_percent(row['recall']):>8} "
                              f"{_percent(row['precision']):>10}")
