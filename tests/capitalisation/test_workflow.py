"""The life of an experience sheet: written, sent for review, published or
returned, edited by one person at a time; who hears about it; who may do what."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from capitalisation import services
from capitalisation.models import ExperienceSheet
from cucs_portal.records import EditConflict
from people.models import Organisation
from tests import factories as f

from .factories import ExperienceSheetFactory

pytestmark = pytest.mark.django_db

S = ExperienceSheet.Status


@pytest.fixture
def people(reference_data):
    landlord = f.OrganisationFactory(name="Habitat du Pilat")
    return {
        "author": f.UserFactory(username="autrice", organisation=landlord),
        "colleague": f.UserFactory(username="collegue", organisation=landlord),
        "other_landlord": f.UserFactory(landlord_staff=True),
        "secretariat": f.UserFactory(username="secretariat", secretariat=True),
        "partner": f.UserFactory(partner=True),
        "public": f.UserFactory(public_staff=True),
        "plain": f.UserFactory(),
    }


def new_sheet_data(author, **changes):
    from axes.models import Axis

    return {
        "title": "Médiation de nuit",
        "summary": "Des médiateurs le soir.",
        "axis": Axis.objects.get(number=3),
        "what_was_done": "- Tournées.",
        "organisation": author.organisation,
        **changes,
    }


def journal(sheet) -> list[tuple]:
    return list(
        AuditEvent.for_object(sheet)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "comment")
    )


def test_a_sheet_goes_from_draft_to_published_and_each_step_is_audited(
    people, django_capture_on_commit_callbacks
):
    """Written, sent for review (the secretariat is told), published (the
    author is told): each step in the journal, the version growing."""
    author, secretariat = people["author"], people["secretariat"]
    sheet = services.sheet_create(author=author, data=new_sheet_data(author))
    assert (sheet.status, sheet.version) == (S.DRAFT, 1)

    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.sheet_submit(sheet=sheet, acting_user=author)
    assert [m.to for m in mail.outbox] == [[secretariat.email]]
    assert sheet.title in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.sheet_publish(sheet=sheet, acting_user=secretariat)
    assert mail.outbox[1].to == [author.email]

    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == (S.PUBLISHED, 3)
    assert sheet.published_at and sheet.reviewed_by == secretariat
    assert journal(sheet) == [
        ("sheet_create", "", "draft", ""),
        ("sheet_submit", "draft", "submitted", ""),
        ("sheet_publish", "submitted", "published", ""),
    ]


def test_a_returned_sheet_carries_the_comment_and_can_be_sent_again(
    people, django_capture_on_commit_callbacks
):
    """Returning needs a comment; the author gets it by e-mail, edits the
    sheet and sends it for review again."""
    author, secretariat = people["author"], people["secretariat"]
    sheet = ExperienceSheetFactory(author=author, status=S.SUBMITTED)

    with pytest.raises(services.CommentRequired):
        services.sheet_return(sheet=sheet, acting_user=secretariat, comment="  ")
    with django_capture_on_commit_callbacks(execute=True):
        sheet = services.sheet_return(
            sheet=sheet, acting_user=secretariat, comment="Chiffrer les résultats."
        )

    assert sheet.status == S.RETURNED
    assert sheet.review_comment == "Chiffrer les résultats."
    assert mail.outbox[0].to == [author.email]
    assert "Chiffrer les résultats." in mail.outbox[0].body
    sheet = services.sheet_update(
        sheet=sheet,
        editor=author,
        data={"results": "- 40 % de plaintes en moins."},
        base_version=sheet.version,
    )
    sheet = services.sheet_submit(sheet=sheet, acting_user=author)
    assert sheet.status == S.SUBMITTED


def test_a_rolled_back_submission_sends_no_mail(people):
    """The e-mail leaves after the commit: no transaction committed, no mail."""
    sheet = ExperienceSheetFactory(author=people["author"])

    services.sheet_submit(sheet=sheet, acting_user=people["author"])

    assert mail.outbox == []


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (S.DRAFT, services.sheet_publish),
        (S.PUBLISHED, services.sheet_publish),
        (S.SUBMITTED, services.sheet_submit),
        (S.PUBLISHED, services.sheet_submit),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(people, status, service):
    """Nothing changes when the state does not allow the step."""
    sheet = ExperienceSheetFactory(author=people["author"], status=status)

    with pytest.raises(services.TransitionNotAllowed):
        service(sheet=sheet, acting_user=people["secretariat"])

    sheet.refresh_from_db()
    assert (sheet.status, sheet.version) == (status, 1)


def test_two_editors_cannot_overwrite_each_other(people):
    """The second save made on the same version is refused with the current
    sheet, and nothing of it is written."""
    sheet = ExperienceSheetFactory(author=people["author"], title="Avant")
    services.sheet_update(
        sheet=sheet, editor=people["author"], data={"title": "Un"}, base_version=1
    )

    with pytest.raises(EditConflict) as conflict:
        services.sheet_update(
            sheet=sheet, editor=people["author"], data={"title": "Deux"}, base_version=1
        )

    assert conflict.value.current.title == "Un"
    sheet.refresh_from_db()
    assert (sheet.title, sheet.version) == ("Un", 2)


def test_saving_an_unchanged_sheet_changes_nothing(people):
    sheet = ExperienceSheetFactory(author=people["author"], title="Même titre")
    before = AuditEvent.objects.count()

    sheet = services.sheet_update(
        sheet=sheet,
        editor=people["author"],
        data={"title": "Même titre", "territories": []},
        base_version=1,
    )

    assert sheet.version == 1
    assert AuditEvent.objects.count() == before


def test_the_conflict_page_keeps_the_typed_text_and_shows_the_saved_one(client, people):
    """The second editor gets 409: their text in the form, the other person's
    saved title above it, and the next save goes through."""
    author = people["author"]
    sheet = ExperienceSheetFactory(author=author, title="Titre d’origine")
    services.sheet_update(
        sheet=sheet, editor=author, data={"title": "Titre de l’autre"}, base_version=1
    )
    client.force_login(author)
    url = reverse("capitalisation:update", kwargs={"pk": sheet.pk})
    data = {
        "title": "Mon titre à moi",
        "summary": sheet.summary,
        "axis": sheet.axis_id,
        "what_was_done": sheet.what_was_done,
        "organisation": sheet.organisation_id,
        "base_version": 1,
    }

    response = client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 409
    assert 'value="Mon titre à moi"' in html
    assert "Titre de l’autre" in html
    assert response.context["sheet"].title == "Titre de l’autre"  # the heading
    assert response.context["form"].data["base_version"] == 2
    assert client.post(url, {**data, "base_version": 2}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.title == "Mon titre à moi"


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_lost(client, people):
    client.force_login(people["author"])

    response = client.post(
        reverse("capitalisation:create"),
        {"title": "Gardé", "summary": "", "contact_email": "pas-une-adresse"},
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert {"summary", "axis", "what_was_done", "contact_email"} <= set(form.errors)
    assert 'value="Gardé"' in response.content.decode()
    assert not ExperienceSheet.objects.exists()


def test_a_new_sheet_starts_with_the_author_s_organisation(client, people):
    client.force_login(people["author"])

    response = client.get(reverse("capitalisation:create"))

    assert (
        response.context["form"].initial["organisation"]
        == people["author"].organisation_id
    )


def test_an_author_writes_for_their_own_organisation(client, people):
    """Whose experience it is decides which colleagues read the draft: an
    author cannot file it under another landlord (whose staff would then read
    it): the form shows their organisation without letting it change, the
    service refuses another; the secretariat chooses any."""
    author, other = people["author"], people["other_landlord"].organisation
    client.force_login(author)

    offered = client.get(reverse("capitalisation:create")).context["form"]
    response = client.post(
        reverse("capitalisation:create"),
        {
            "title": "Médiation de nuit",
            "summary": "Des médiateurs le soir.",
            "axis": new_sheet_data(author)["axis"].pk,
            "what_was_done": "- Tournées.",
            "organisation": other.pk,  # a forged choice: ignored
        },
    )

    assert offered.fields["organisation"].disabled
    assert response.status_code == 302
    assert ExperienceSheet.objects.get().organisation == author.organisation
    with pytest.raises(ValidationError):
        services.sheet_create(
            author=author, data=new_sheet_data(author, organisation=other)
        )
    sheet = services.sheet_create(
        author=people["secretariat"], data=new_sheet_data(author, organisation=other)
    )
    assert sheet.organisation == other
    client.force_login(people["secretariat"])
    form = client.get(reverse("capitalisation:update", args=[sheet.pk])).context["form"]
    assert not form.fields["organisation"].disabled


def test_only_validated_proposals_are_offered(client, people):
    atelier = f.AtelierFactory()
    validated = f.ProposalFactory(atelier=atelier, status="validated")
    f.ProposalFactory(atelier=atelier, status="submitted")
    client.force_login(people["author"])

    response = client.get(reverse("capitalisation:create"))

    assert list(response.context["form"].fields["proposals"].queryset) == [validated]


@pytest.mark.parametrize(
    ("person", "draft", "published", "writes"),
    [
        ("author", True, True, True),
        ("colleague", True, True, True),
        ("other_landlord", False, True, True),
        ("secretariat", True, True, True),
        ("partner", False, True, False),
        ("public", False, True, False),
        ("plain", False, True, False),
    ],
)
def test_who_reads_and_writes(people, person, draft, published, writes):
    """A published sheet is everyone's; a draft its author's, their
    colleagues' and the secretariat's; landlord staff and the secretariat
    write sheets, not partners nor public bodies."""
    user = people[person]
    sheets = {
        status: ExperienceSheetFactory(author=people["author"], status=status)
        for status in (S.DRAFT, S.PUBLISHED)
    }

    assert user.has_perm("capitalisation.view_sheet", sheets[S.DRAFT]) is draft
    assert user.has_perm("capitalisation.view_sheet", sheets[S.PUBLISHED])
    assert user.has_perm("capitalisation.add_sheet") is writes
    visible = set(ExperienceSheet.objects.visible_to(user))
    assert (sheets[S.DRAFT] in visible) is draft
    assert sheets[S.PUBLISHED] in visible


def test_a_partner_working_for_a_landlord_does_not_write(people):
    """Someone who is only a partner reads; a landlord's organisation does not
    make them a writer."""
    landlord = Organisation.objects.filter(kind="landlord").first()
    partner = f.UserFactory(organisation=landlord, is_partner=True)

    assert not partner.has_perm("capitalisation.add_sheet")


@pytest.mark.parametrize(
    ("status", "author_edits", "secretariat_edits"),
    [
        (S.DRAFT, True, False),
        (S.SUBMITTED, False, True),
        (S.RETURNED, True, False),
        (S.PUBLISHED, False, True),
    ],
)
def test_who_edits_in_which_state(people, status, author_edits, secretariat_edits):
    """The author edits while the sheet is in their hands; the secretariat
    while it reviews it and once it is published; a colleague never."""
    sheet = ExperienceSheetFactory(author=people["author"], status=status)

    assert people["author"].has_perm("capitalisation.change_sheet", sheet) is (
        author_edits
    )
    assert people["secretariat"].has_perm("capitalisation.change_sheet", sheet) is (
        secretariat_edits
    )
    assert not people["colleague"].has_perm("capitalisation.change_sheet", sheet)


def test_the_review_queue_lists_the_longest_waiting_first(client, people):
    first = ExperienceSheetFactory(status=S.SUBMITTED, title="Première")
    second = ExperienceSheetFactory(status=S.SUBMITTED, title="Seconde")
    ExperienceSheet.objects.filter(pk=second.pk).update(
        submitted_at=first.submitted_at.replace(year=2006)
    )
    ExperienceSheetFactory(status=S.PUBLISHED)
    client.force_login(people["secretariat"])

    response = client.get(reverse("capitalisation:review_queue"))

    assert [s.pk for s in response.context["sheets"]] == [second.pk, first.pk]


def test_my_sheets_lists_work_in_progress_then_published(client, people):
    author = people["author"]
    published = ExperienceSheetFactory(author=author, status=S.PUBLISHED)
    draft = ExperienceSheetFactory(author=author)
    ExperienceSheetFactory(author=people["colleague"])
    client.force_login(author)

    response = client.get(reverse("capitalisation:mine"))

    assert response.context["in_progress"] == [draft]
    assert response.context["published"] == [published]


def test_markdown_is_rendered_and_sanitised(client, people):
    sheet = ExperienceSheetFactory(
        status=S.PUBLISHED,
        what_was_done=(
            "- **Tournées** <script>alert(1)</script>\n- [lien](javascript:x)"
        ),
    )
    client.force_login(people["partner"])

    html = client.get(sheet.get_absolute_url()).content.decode()

    assert "<strong>Tournées</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert 'href="javascript' not in html  # left as text, never a link
