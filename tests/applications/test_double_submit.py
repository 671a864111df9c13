"""Five identical POSTs at once from one visitor: one application, one account, no 500 (issue 9)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.models import User
from applications.models import Application
from tests.applications.test_pages import form_data
from tests.factories import DistrictFactory, StreamFactory


@pytest.mark.django_db(transaction=True)
def test_five_identical_concurrent_posts_store_one_application_and_one_account():
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    StreamFactory()
    data = form_data(DistrictFactory())
    barrier = threading.Barrier(5)
    answers = []

    def post():
        client = Client(raise_request_exception=False)
        client.cookies["csrftoken"] = "the-visitors-browser-csrf-cookie-0123456789"  # set by the form page
        try:
            barrier.wait()
            response = client.post(reverse("applications:apply"), data, follow=True)
            answers.append((response.status_code, response.redirect_chain[-1][0] if response.redirect_chain else ""))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Application.objects.count() == 1
    assert User.objects.filter(phone="+77015551234").count() == 1
    application = Application.objects.get()
    assert sorted(answers) == sorted(
        [(200, reverse("applications:status", args=[application.code]))] + [(200, reverse("accounts:login"))] * 4
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_from_different_browsers_give_no_500_either():
    """No shared cookie (two tabs of a browser that lost it, or a script): the database keeps one;
    the others get the neutral refusal page."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with concurrent writers")
    StreamFactory()
    data = form_data(DistrictFactory())
    barrier = threading.Barrier(5)
    codes = []

    def post(n):
        client = Client(raise_request_exception=False, REMOTE_ADDR=f"192.0.2.{n}")
        try:
            barrier.wait()
            codes.append(client.post(reverse("applications:apply"), data).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert Application.objects.count() == 1 and User.objects.filter(phone="+77015551234").count() == 1
    assert sorted(codes) == [200, 200, 200, 200, 302]
