"""The users of the load test (benchmarks/load_test.py runs this file; it is not
meant to be run alone): readers who browse, writers who comment on proposals of
their atelier, save new drafts and edit their own drafts.

The portal runs with the production settings behind an imagined reverse proxy
that terminates HTTPS: each request carries ``X-Forwarded-Proto: https`` (what
nginx sends, see README) and each POST the ``Origin`` a browser would send, so
HTTPS redirects, secure cookies and the CSRF checks stay as in production. The
only liberty: the client sends the Secure cookies over the loopback's plain HTTP,
as the browser does over HTTPS to the proxy.

Reads ``LOAD_DATA`` (a JSON file written by load_test.py: logins, ids) and writes
``LOAD_RESULTS`` (every request with its time and outcome, every write that got
a success answer) when locust quits.
"""

import json
import os
import random
import re
import uuid
from itertools import count

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_DATA"], encoding="utf-8") as _data:
    DATA = json.load(_data)
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
POST_HEADERS = {**PROXY_HEADERS, "Origin": DATA["origin"]}

REQUESTS = []  # [name, method, ms, ok, start]
WRITES = {"comments": [], "drafts": [], "edits": []}

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')
ENJEU_SELECT = re.compile(r'<select name="enjeu".*?</select>', re.S)
OPTION = re.compile(r'<option value="(\d+)"')
PROPOSAL_URL = re.compile(r"^/propositions/(\d+)/")


@events.request.add_listener
def _record(request_type, name, response_time, exception, start_time=0, **kwargs):
    REQUESTS.append([name, request_type, response_time, exception is None, start_time])


@events.quitting.add_listener
def _save(environment, **kwargs):
    with open(os.environ["LOAD_RESULTS"], "w", encoding="utf-8") as out:
        json.dump({"requests": REQUESTS, "writes": WRITES}, out)


def token(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise ValueError("no CSRF token in the page")
    return match.group(1)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(DATA["wait_min"], DATA["wait_max"])
    logins: tuple[str, ...] = ()
    _counter = count()

    def on_start(self):
        self.username = self.logins[next(self._counter) % len(self.logins)]
        page = self.page("/compte/login/", "login (form)")
        if page is None:
            return
        self.post(
            "/compte/login/",
            {
                "username": self.username,
                "password": DATA["password"],
                "csrfmiddlewaretoken": token(page.text),
            },
            "login (POST)",
            "^/$",
        )

    def unsecure_cookies(self):
        """requests keeps Secure cookies for https:// addresses; the loopback
        stands for HTTPS here, so the session and CSRF cookies must go back."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def page(self, url, name):
        """GET a page; a success is a 200 (a redirect, e.g. to the login page,
        is a failure)."""
        with self.client.get(
            url,
            headers=PROXY_HEADERS,
            allow_redirects=False,
            catch_response=True,
            name=name,
        ) as response:
            self.unsecure_cookies()
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            return response

    def post(self, url, data, name, expect):
        """POST a form; a success is a redirect whose address matches ``expect``."""
        with self.client.post(
            url,
            data=data,
            headers=POST_HEADERS,
            allow_redirects=False,
            catch_response=True,
            name=name,
        ) as response:
            self.unsecure_cookies()
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not re.match(expect, location):
                response.failure(f"HTTP {response.status_code} {location}")
                return None
            return location


class Reader(PortalUser):
    """Browses: the dashboard, the list (pages, filters, search), ateliers, axes,
    validated proposals, a stylesheet."""

    weight = DATA["readers"]
    logins = tuple(DATA["reader_logins"])

    @task(3)
    def dashboard(self):
        self.page("/", "dashboard")

    @task(3)
    def proposal_list(self):
        query = random.choice(
            [
                "",
                f"?page={random.randint(2, 8)}",
                "?status=validated&sort=-updated",
                f"?axis={random.choice(DATA['axis_ids'])}",
                "?q=locataires",
            ]
        )
        self.page(f"/propositions/{query}", "proposal list")

    @task(5)
    def proposal(self):
        self.page(f"/propositions/{random.choice(DATA['validated'])}/", "proposal")

    @task(2)
    def atelier(self):
        self.page(f"/ateliers/{random.choice(DATA['atelier_ids'])}/", "atelier")

    @task(2)
    def axis(self):
        self.page(f"/axes/{random.randint(1, 6)}/", "axis")

    @task(1)
    def stylesheet(self):
        self.page(random.choice(DATA["stylesheets"]), "static (whitenoise)")


class Writer(PortalUser):
    """A member of atelier 1: reads its proposals, comments on them, saves new
    drafts and edits the drafts it saved (nobody else edits those: no conflict
    is expected, every save must go through)."""

    weight = DATA["writers"]
    logins = tuple(DATA["writer_logins"])

    def on_start(self):
        super().on_start()
        self.drafts = {}  # pk -> the fields last saved

    @task(4)
    def comment(self):
        pk = random.choice(DATA["atelier1"])
        page = self.page(f"/propositions/{pk}/", "proposal")
        if page is None:
            return
        body = f"Commentaire de charge {uuid.uuid4().hex}"
        if self.post(
            f"/propositions/{pk}/commentaires/",
            {"body": body, "csrfmiddlewaretoken": token(page.text)},
            "comment (POST)",
            rf"^/propositions/{pk}/#comments$",
        ):
            WRITES["comments"].append(body)

    @task(1)
    def new_draft(self):
        url = f"/ateliers/{DATA['atelier1_id']}/propositions/nouvelle/"
        form = self.page(url, "draft form")
        if form is None:
            return
        enjeux = OPTION.findall(ENJEU_SELECT.search(form.text).group(0))
        fields = {
            "title": f"Proposition de charge {uuid.uuid4().hex}",
            "enjeu": random.choice(enjeux),
            "summary": "Saisie pendant le test de charge.",
            "priority": "medium",
        }
        location = self.post(
            url,
            {**fields, "csrfmiddlewaretoken": token(form.text)},
            "new draft (POST)",
            r"^/propositions/\d+/$",
        )
        if location:
            pk = int(PROPOSAL_URL.match(location).group(1))
            self.drafts[pk] = fields
            WRITES["drafts"].append({"pk": pk, "title": fields["title"]})

    @task(2)
    def edit_draft(self):
        if not self.drafts:
            return
        pk = random.choice(list(self.drafts))
        form = self.page(f"/propositions/{pk}/modifier/", "draft edit form")
        if form is None:
            return
        fields = {**self.drafts[pk], "summary": f"Révision {uuid.uuid4().hex}"}
        data = {
            **fields,
            "base_version": BASE_VERSION.search(form.text).group(1),
            "csrfmiddlewaretoken": token(form.text),
        }
        if self.post(
            f"/propositions/{pk}/modifier/",
            data,
            "draft edit (POST)",
            rf"^/propositions/{pk}/$",
        ):
            self.drafts[pk] = fields
            WRITES["edits"].append({"pk": pk, "summary": fields["summary"]})
