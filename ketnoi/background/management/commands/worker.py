from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    # django-tasks-db's `db_worker` under the project's name (`ketnoi worker --help` lists its
    # options: --batch runs what is due and stops, --interval, --max-tasks, --reload …).
    help = ("Run the background worker: take the jobs queued in the database (report renders, "
            "e-mails, imports) and run them, one at a time. Ctrl+C lets the current job finish.")
