"""The seminar's pages as people use them: the guest list, the edit conflict,
the documents, the guest's reply page, and flat query counts."""

import datetime
import shutil
import subprocess

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from seminaire.models import Invitation
from tests import factories as f

from .factories import EventFactory, InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    user = f.UserFactory(secretariat=True)
    client.force_login(user)
    return user


@pytest.fixture
def event():
    return EventFactory(
        title="Séminaire de présentation du référentiel CUCS",
        description="**9 h** : accueil.",
    )


def test_the_guest_list_is_grouped_by_category_with_the_counts(
    client, secretariat, event
):
    now = timezone.now()
    InvitationFactory(event=event, category="elected", full_name="Zoé Élue")
    InvitationFactory(
        event=event,
        category="elected",
        full_name="Albert Élu",
        reply="attending",
        replied_at=now,
    )
    InvitationFactory(
        event=event,
        category="partner",
        full_name="Paul Partenaire",
        reply="declined",
        replied_at=now,
    )

    response = client.get(event.get_absolute_url())

    groups = response.context["groups"]
    assert [g["category"] for g in groups] == ["elected", "partner"]
    assert [i.full_name for i in groups[0]["invitations"]] == [
        "Albert Élu",
        "Zoé Élue",
    ]
    summary = response.context["summary"]
    assert summary["total"] == {"attending": 1, "declined": 1, "pending": 1, "total": 3}
    elected = next(r for r in summary["rows"] if r["category"] == "elected")
    assert (elected["attending"], elected["pending"], elected["total"]) == (1, 1, 2)


def test_the_filters_narrow_the_guest_list(client, secretariat, event):
    InvitationFactory(event=event, category="elected", full_name="Zoé Élue")
    InvitationFactory(event=event, category="partner", full_name="Paul Partenaire")

    response = client.get(event.get_absolute_url(), {"category": "partner"})

    html = response.content.decode()
    assert "Paul Partenaire" in html
    assert "Zoé Élue" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zoe elue", {"Zoé Élue"}),
        ("ÉLUE", {"Zoé Élue"}),
        # The job title and the organisation are searched too.
        ("chargee rehabilitation", {"Hélène Lefèvre"}),
        ("boite a idees", {"Paul Partenaire"}),
        ("jardins partages", {"Zoé Élue"}),
        ("lefevre zoe", set()),
    ],
)
def test_the_search_box_finds_guests_without_accents(
    client, secretariat, event, text, expected
):
    InvitationFactory(
        event=event,
        full_name="Zoé Élue",
        organisation=f.OrganisationFactory(name="Association des jardins partagés"),
    )
    InvitationFactory(
        event=event,
        category="technician",
        full_name="Hélène Lefèvre",
        job_title="Chargée de réhabilitation",
    )
    InvitationFactory(
        event=event,
        category="partner",
        full_name="Paul Partenaire",
        organisation=f.OrganisationFactory(name="La Boîte à idées"),
    )

    response = client.get(event.get_absolute_url(), {"q": text})

    names = {i.full_name for g in response.context["groups"] for i in g["invitations"]}
    assert names == expected
    assert response.context["filtered"]
    assert 'maxlength="200"' in response.content.decode()


def test_too_long_a_guest_search_is_dropped_not_a_500(client, secretariat, event):
    InvitationFactory(event=event, full_name="Zoé Élue")

    response = client.get(event.get_absolute_url(), {"q": "x" * 500})

    assert response.status_code == 200
    assert "q" in response.context["filters"].errors


@pytest.mark.parametrize("trait", [{"partner": True}, {"landlord_staff": True}])
def test_others_read_the_event_but_not_the_guest_list(client, event, trait):
    """The date, place and programme are for everyone signed in; the guests'
    names and replies (personal data) are not."""
    InvitationFactory(event=event, full_name="Monique Aubépine")
    client.force_login(f.UserFactory(**trait))

    response = client.get(event.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert event.place in html
    assert "<strong>9 h</strong>" in html
    assert "Monique Aubépine" not in html
    assert reverse("seminaire:export", kwargs={"pk": event.pk}) not in html


def test_an_invited_person_sees_their_own_invitation_on_the_event_page(client, event):
    user = f.UserFactory(landlord_staff=True)
    invitation = InvitationFactory(event=event, user=user, email=user.email)
    client.force_login(user)

    html = client.get(event.get_absolute_url()).content.decode()

    assert invitation.get_absolute_url() in html


def test_a_second_editor_gets_a_409_with_their_text_kept(client, secretariat, event):
    url = reverse("seminaire:update", kwargs={"pk": event.pk})
    data = {
        "title": "Mon titre à moi",
        "starts_at": "2030-05-10T09:00",
        "place": "Musée",
        "description": "Mon programme <script>alert(1)</script>",
        "version": event.version,
    }
    client.post(url, {**data, "title": "Titre de l’autre"})

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Mon titre à moi" in html
    assert "Titre de l’autre" in html  # what is saved now, shown above the form
    assert "<script>alert(1)" not in html
    # Saving again with the version shown goes through.
    again = client.post(url, {**data, "version": event.version + 1})
    assert again.status_code == 302


def test_an_invalid_event_keeps_the_text_and_says_what_is_wrong(client, secretariat):
    response = client.post(
        reverse("seminaire:create"),
        {
            "title": "Séminaire",
            "starts_at": "2030-05-10T09:00",
            "ends_at": "2030-05-10T08:00",
            "place": "Musée",
            "description": "Texte tapé",
        },
    )

    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert "Texte tapé" in response.content.decode()


def test_the_csv_lists_every_guest_with_their_reply_safely(client, secretariat, event):
    InvitationFactory(
        event=event,
        full_name='=HYPERLINK("http://x")',
        reply="declined",
        replied_at=timezone.now(),
        reply_comment="Empêché",
    )
    InvitationFactory(event=event, full_name="Alain Sureau")

    response = client.get(reverse("seminaire:export", kwargs={"pk": event.pk}))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 3
    assert "'=HYPERLINK" in text
    assert "Empêché" in text
    assert "Alain Sureau" in text


def test_the_attendance_csv_has_only_those_who_accepted(client, secretariat, event):
    """The attendance list as CSV, as on the PDF: the guests who accepted, by
    category then name, with their organisation and comment."""
    now = timezone.now()
    for name, reply in (("Bernard Aulne", "declined"), ("Zoé Charme", "attending")):
        InvitationFactory(event=event, full_name=name, reply=reply, replied_at=now)
    InvitationFactory(
        event=event,
        full_name="Anne Bouleau",
        reply="attending",
        replied_at=now,
        reply_comment="Avec un collègue",
    )

    response = client.get(
        reverse("seminaire:export", kwargs={"pk": event.pk}), {"list": "attendance"}
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    names = [line.split(";")[1] for line in text.strip().splitlines()[1:]]
    assert "emargement.csv" in response["Content-Disposition"]
    assert names == ["Anne Bouleau", "Zoé Charme"]
    assert "Avec un collègue" in text and "Bernard Aulne" not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_attendance_list_has_only_those_who_accepted(
    client, secretariat, event, tmp_path
):
    now = timezone.now()
    InvitationFactory(
        event=event, full_name="Albert Présent", reply="attending", replied_at=now
    )
    InvitationFactory(
        event=event, full_name="Bernard Absent", reply="declined", replied_at=now
    )
    InvitationFactory(event=event, full_name="Claire Silencieuse")

    response = client.get(reverse("seminaire:attendance_pdf", kwargs={"pk": event.pk}))

    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "emargement.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Albert Présent" in text
    assert "Bernard Absent" not in text
    assert "Claire Silencieuse" not in text
    assert event.title in text
    assert "Page 1 / 1" in text


# --- The guest's reply page --------------------------------------------------


def test_a_guest_without_an_account_replies_through_their_link(client, event):
    invitation = InvitationFactory(event=event)
    url = invitation.get_absolute_url()

    page = client.get(url)
    response = client.post(url, {"reply": "attending", "comment": "Avec plaisir"})

    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert invitation.full_name in page.content.decode()
    assert (response.status_code, response.url) == (302, url)
    invitation.refresh_from_db()
    assert (invitation.reply, invitation.reply_comment) == ("attending", "Avec plaisir")


def test_after_the_reply_date_the_page_says_so_and_has_no_buttons(client):
    event = EventFactory(reply_by=timezone.localdate() - datetime.timedelta(days=1))
    invitation = InvitationFactory(event=event)

    response = client.get(invitation.get_absolute_url())

    assert response.context["event"].replies_open is False
    assert 'name="reply"' not in response.content.decode()
    assert "alert-secondary" in response.content.decode()


def test_an_unknown_key_is_a_404_that_tells_the_guest_what_to_do(
    client, settings, event
):
    """A guest with a broken or replaced link (no account to fall back on) is
    told why it may not work and how to reach the secretariat; nothing about
    any invitation is shown, and the page is not indexed."""
    settings.SECRETARIAT_EMAIL = "secretariat@amo2sm.example.org"
    someone = InvitationFactory(event=event, full_name="Alain Sureau")

    response = client.get(reverse("seminaire:reply", kwargs={"key": "x" * 43}))

    html = response.content.decode()
    assert response.status_code == 404
    assert gettext("This invitation link does not work") in html
    assert 'href="mailto:secretariat@amo2sm.example.org"' in html
    assert someone.full_name not in html and event.title not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_after_the_reply_date_the_page_gives_the_secretariat_s_address(
    client, settings
):
    settings.SECRETARIAT_EMAIL = "secretariat@amo2sm.example.org"
    event = EventFactory(reply_by=timezone.localdate() - datetime.timedelta(days=1))

    response = client.get(InvitationFactory(event=event).get_absolute_url())

    assert 'href="mailto:secretariat@amo2sm.example.org"' in response.content.decode()


def test_without_an_address_set_none_is_shown(client, settings):
    settings.SECRETARIAT_EMAIL = ""
    response = client.get(reverse("seminaire:reply", kwargs={"key": "x" * 43}))

    assert "mailto:" not in response.content.decode()


def test_reply_keys_are_long_random_and_distinct(event):
    keys = {InvitationFactory(event=event).key for _ in range(20)}

    assert len(keys) == 20
    assert all(len(key) >= 43 for key in keys)


# --- Query counts --------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


def grow(event, n):
    organisations = f.OrganisationFactory.create_batch(3)
    people = f.UserFactory.create_batch(3, landlord_staff=True)
    categories = Invitation.Category.values
    for i in range(n):
        InvitationFactory(
            event=event,
            organisation=organisations[i % 3],
            user=people[i] if i < 3 else None,
            category=categories[i % len(categories)],
        )


@pytest.mark.parametrize("name", ["seminaire:detail", "seminaire:export"])
def test_the_guest_list_reads_the_same_number_of_queries_for_2_or_20_guests(
    client, secretariat, event, name
):
    """Guards against a query per guest for their organisation or account
    (the list, the counts, the CSV)."""
    url = reverse(name, kwargs={"pk": event.pk})
    grow(event, 2)
    few = count_queries(client, url)

    grow(event, 18)
    many = count_queries(client, url)

    assert Invitation.objects.count() == 20
    assert many == few


def test_the_event_list_reads_the_same_number_of_queries_for_2_or_20_events(
    client, secretariat
):
    """Guards against a query per event for its edition or its counts."""
    for _ in range(2):
        InvitationFactory(event=EventFactory(edition=f.EditionFactory()))
    few = count_queries(client, reverse("seminaire:list"))

    for _ in range(18):
        InvitationFactory(event=EventFactory(edition=f.EditionFactory()))
    many = count_queries(client, reverse("seminaire:list"))

    assert many == few


def test_sending_when_everyone_was_sent_it_says_so(client, secretariat, event):
    InvitationFactory(event=event, sent_at=timezone.now())

    response = client.post(
        reverse("seminaire:send", kwargs={"pk": event.pk}), follow=True
    )

    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    assert mail.outbox == []


def test_sending_says_how_many_are_queued_and_the_list_shows_each_state(
    client, secretariat, event
):
    """The request only queues: the message counts what was queued, the page
    counts what waits for the worker and marks each waiting guest."""
    InvitationFactory(event=event, full_name="Alain Sureau")
    InvitationFactory(event=event, full_name="Zoé Élue")
    sent = InvitationFactory(event=event, sent_at=timezone.now())

    response = client.post(
        reverse("seminaire:send", kwargs={"pk": event.pk}), follow=True
    )

    [message] = response.context["messages"]
    assert message.level_tag == "success"
    assert "2" in message.message
    assert mail.outbox == []
    assert response.context["waiting"] == {"count": 2, "late": 0}
    assert response.context["to_send"] == 0
    html = response.content.decode()
    assert "waiting-emails" in html
    assert html.count(gettext("Waiting to be sent")) == 2
    assert Invitation.objects.get(pk=sent.pk).queued_at is None


def test_a_corrected_address_makes_the_old_link_a_404(client, secretariat, event):
    invitation = InvitationFactory(event=event, sent_at=timezone.now())
    old_url = invitation.get_absolute_url()

    response = client.post(
        reverse(
            "seminaire:invitation_update",
            kwargs={"pk": event.pk, "invitation_pk": invitation.pk},
        ),
        {
            "full_name": invitation.full_name,
            "category": invitation.category,
            "organisation": invitation.organisation_id,
            "email": "bonne.adresse@example.org",
            "reply": invitation.reply,
            "version": invitation.version,
        },
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.email == "bonne.adresse@example.org"
    assert invitation.sent_at is None
    client.logout()
    assert client.get(old_url).status_code == 404
    assert client.get(invitation.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(("published", "shown"), [(False, False), (True, True)])
def test_the_reply_page_names_the_edition_only_once_published(client, published, shown):
    """A draft's title is the secretariat's working title: not for guests."""
    fields = (
        {
            "status": "published",
            "published_at": timezone.now(),
            "snapshot": {},
            "content_hash": "x",
        }
        if published
        else {}
    )
    edition = f.EditionFactory(title="Référentiel CUCS 2007", **fields)
    invitation = InvitationFactory(event=EventFactory(edition=edition))

    html = client.get(invitation.get_absolute_url()).content.decode()

    assert ("Référentiel CUCS 2007" in html) is shown
