"""Two instructors take the same task at the same moment on PostgreSQL: exactly one gets
it, the other is told who has it."""

import threading

import pytest
from django.db import connection

from tests.support.client import page_text
from tests.support.instruction import file_heating_aid, human_task, login

pytestmark = [
    pytest.mark.services("postgres"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_instructors_take_the_same_task_at_once(applicant_client, instructor, colleague):
    case = file_heating_aid(applicant_client, defer_tax_notice=False)
    task = human_task(case)
    clients = [login(instructor), login(colleague)]
    barrier = threading.Barrier(2)
    pages = {}

    def take(index):
        try:
            barrier.wait(timeout=10)
            response = clients[index].post(f"/instruction/taches/{task.pk}/prendre/", follow=True)
            pages[index] = page_text(response)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    task.refresh_from_db()
    assert task.owner in (instructor, colleague)
    winner = 0 if task.owner == instructor else 1
    loser = 1 - winner
    assert "Vous avez pris ce dossier." in pages[winner]
    name = task.owner.get_full_name()
    assert f"Ce dossier vient d'être pris par {name}." in pages[loser]
    assert "Vous avez pris ce dossier." not in pages[loser]
