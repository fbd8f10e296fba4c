"""Suggested changes (ateliers.services.suggestion_*, their pages): a commission
delegate or a co-animator suggests an exact change to one text of a proposal
with the commission or sent back; the atelier accepts it as a new version that
credits its author, or declines it with a reason; a suggestion written on a
text changed since is merged into it, or no longer applies."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from ateliers import services
from ateliers.diff import suggested_change
from ateliers.models import Proposal, ProposalRevision, ProposalSuggestion
from ateliers.verbs import AteliersVerb
from audit.models import AuditEvent

from .workspace import form_data, write_proposal

S = Proposal.Status
pytestmark = pytest.mark.django_db

DESCRIPTION = (
    "Une marche par trimestre dans chaque résidence.\n"
    "Les gardiens et les amicales de locataires y sont invités.\n"
    "Un compte rendu est envoyé au bailleur."
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def submitted(world):
    """A proposal of ``ours`` written (version 1), then submitted by its
    landlord referent (version 2)."""
    proposal = write_proposal(
        world.ours, world.people["member"], description=DESCRIPTION
    )
    return services.proposal_submit(
        proposal=proposal, acting_user=world.people["landlord_referent"]
    )


def send_back(world, proposal) -> Proposal:
    return services.proposal_request_changes(
        proposal=proposal,
        acting_user=world.people["commission"],
        comment="Préciser qui rédige le compte rendu.",
    )


def suggest(world, proposal, *, text=None, field="description", who="commission"):
    return services.suggestion_create(
        proposal=proposal,
        author=world.people[who],
        field=field,
        text=DESCRIPTION.replace("au bailleur", "au bailleur et à la commune")
        if text is None
        else text,
        comment="La commune finance une partie des marches.",
        base_version=proposal.version,
    )


def edit_description(world, proposal, old, new) -> Proposal:
    proposal = Proposal.objects.get(pk=proposal.pk)
    return services.proposal_update(
        proposal=proposal,
        editor=world.people["member"],
        data={"description": proposal.description.replace(old, new)},
        base_version=proposal.version,
    )


# --- Making a suggestion --------------------------------------------------------


def test_a_suggestion_keeps_the_version_and_text_it_was_written_on(
    world, submitted, django_capture_on_commit_callbacks
):
    """It records the field, the version and its text, journals the suggestion
    on the proposal and e-mails the authors and co-animators, not the person
    who suggested it."""
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = suggest(world, submitted)

    assert (suggestion.field, suggestion.base_version, suggestion.base_text) == (
        "description",
        2,
        DESCRIPTION,
    )
    assert suggestion.status == ProposalSuggestion.Status.OPEN
    event = AuditEvent.for_object(submitted).get(action=AteliersVerb.SUGGESTION_MAKE)
    assert event.actor == world.people["commission"]
    recipients = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        world.people[role].email
        for role in ("member", "landlord_referent", "public_coanimator")
    )
    assert recipients == expected
    assert submitted.reference in mail.outbox[0].subject


def test_a_suggestion_written_on_an_older_version_keeps_that_text(world, submitted):
    """Someone saved while the delegate was typing: the base is the text the
    delegate had on screen (from the history), not the one saved since."""
    sent_back = send_back(world, submitted)
    edited = edit_description(world, sent_back, "trimestre", "mois")

    suggestion = services.suggestion_create(
        proposal=edited,
        author=world.people["commission"],
        field="description",
        text=DESCRIPTION.replace("au bailleur", "au bailleur et à la commune"),
        comment="La commune finance une partie des marches.",
        base_version=submitted.version,
    )

    assert (suggestion.base_version, suggestion.base_text) == (2, DESCRIPTION)
    change = suggested_change(suggestion, Proposal.objects.get(pk=edited.pk))
    assert change.applies and change.text_changed_since
    assert "par mois" in change.result and "à la commune" in change.result


@pytest.mark.parametrize("status", [S.DRAFT, S.VALIDATED, S.REJECTED, S.WITHDRAWN])
def test_no_suggestion_outside_the_commission_round(world, status):
    """A draft is the atelier's own; a decided proposal is closed."""
    proposal = world.proposals[status]

    with pytest.raises(services.TransitionNotAllowed):
        suggest(world, proposal, text="Autre texte.")

    assert not ProposalSuggestion.objects.filter(proposal=proposal).exists()


@pytest.mark.parametrize(
    ("field", "text", "comment", "error_on"),
    [
        ("description", DESCRIPTION, "Pourquoi pas.", "text"),
        ("description", "Un autre texte.", "   ", "comment"),
        ("summary", "x" * 1001, "Trop long.", "text"),
        ("summary", "  ", "Vider le résumé.", "text"),
        ("title", "Deux\nlignes", "Titre.", "text"),
    ],
    ids=["unchanged", "no comment", "too long", "required field empty", "title"],
)
def test_a_suggestion_that_cannot_replace_the_text_is_refused(
    world, submitted, field, text, comment, error_on
):
    with pytest.raises(ValidationError) as refused:
        services.suggestion_create(
            proposal=submitted,
            author=world.people["commission"],
            field=field,
            text=text,
            comment=comment,
        )

    assert error_on in refused.value.message_dict
    assert not ProposalSuggestion.objects.exists()


# --- Accepting -------------------------------------------------------------------


def test_accepting_makes_a_version_crediting_the_suggestion(
    world, submitted, django_capture_on_commit_callbacks
):
    """Accepted by a volunteer once the proposal is sent back: the text
    changes, the version goes up by one, the revision is saved by the
    volunteer and credits the delegate, who is told by e-mail and does not
    become an author."""
    suggestion = suggest(world, submitted)
    proposal = send_back(world, submitted)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.suggestion_accept(
            suggestion=suggestion, acting_user=world.people["member"]
        )

    saved = Proposal.objects.get(pk=proposal.pk)
    revision = saved.revisions.get(version=saved.version)
    assert saved.version == proposal.version + 1
    assert saved.description == suggestion.text
    assert (revision.author, revision.suggested_by) == (
        world.people["member"],
        world.people["commission"],
    )
    assert revision.changed_fields == ["description"]
    assert (accepted.status, accepted.resulting_version, accepted.decided_by) == (
        ProposalSuggestion.Status.ACCEPTED,
        saved.version,
        world.people["member"],
    )
    assert world.people["commission"] not in saved.authors.all()
    assert (
        AuditEvent.for_object(saved)
        .filter(action=AteliersVerb.SUGGESTION_ACCEPT)
        .count()
        == 1
    )
    assert [message.to for message in mail.outbox] == [
        [world.people["commission"].email]
    ]


def test_a_submitted_proposal_waits_for_its_return(world, submitted):
    """While it is with the commission, nothing changes it: accepting is
    refused and the suggestion stays open."""
    suggestion = suggest(world, submitted)

    with pytest.raises(services.TransitionNotAllowed):
        services.suggestion_accept(
            suggestion=suggestion, acting_user=world.people["member"]
        )

    assert ProposalSuggestion.objects.get(pk=suggestion.pk).is_open
    assert Proposal.objects.get(pk=submitted.pk).version == submitted.version


def test_a_suggestion_on_a_text_changed_elsewhere_is_merged(world, submitted):
    """The atelier reworded the first line since; the suggestion changes the
    last one: accepting keeps both."""
    suggestion = suggest(world, submitted)
    edit_description(world, send_back(world, submitted), "trimestre", "mois")

    services.suggestion_accept(
        suggestion=suggestion, acting_user=world.people["member"]
    )

    description = Proposal.objects.get(pk=submitted.pk).description
    assert "Une marche par mois" in description
    assert "au bailleur et à la commune" in description


def test_a_suggestion_on_words_changed_since_cannot_be_accepted(world, submitted):
    """The atelier rewrote the very words the suggestion changes: it no longer
    applies, is shown with both texts, and accepting it is refused."""
    suggestion = suggest(world, submitted)
    edited = edit_description(
        world, send_back(world, submitted), "au bailleur", "aux partenaires"
    )

    change = suggested_change(suggestion, edited)
    with pytest.raises(services.SuggestionDoesNotApply):
        services.suggestion_accept(
            suggestion=suggestion, acting_user=world.people["member"]
        )

    assert (change.applies, change.result, change.inline) == (False, None, None)
    assert change.current == edited.description
    assert Proposal.objects.get(pk=submitted.pk).version == edited.version
    assert ProposalSuggestion.objects.get(pk=suggestion.pk).is_open


def test_a_suggestion_is_accepted_once(world, submitted):
    """The second acceptance finds it decided: one new version only."""
    suggestion = suggest(world, submitted)
    send_back(world, submitted)
    services.suggestion_accept(
        suggestion=suggestion, acting_user=world.people["member"]
    )
    revisions = ProposalRevision.objects.filter(proposal=submitted).count()

    with pytest.raises(services.SuggestionAlreadyDecided):
        services.suggestion_accept(
            suggestion=suggestion, acting_user=world.people["landlord_referent"]
        )

    assert ProposalRevision.objects.filter(proposal=submitted).count() == revisions


def test_a_change_the_atelier_already_made_is_accepted_without_a_version(
    world, submitted
):
    """The atelier typed the same change by hand: accepting records it against
    the current version and saves nothing."""
    suggestion = suggest(world, submitted)
    edited = edit_description(
        world, send_back(world, submitted), "au bailleur", "au bailleur et à la commune"
    )

    accepted = services.suggestion_accept(
        suggestion=suggestion, acting_user=world.people["member"]
    )

    assert accepted.resulting_version == edited.version
    assert Proposal.objects.get(pk=submitted.pk).version == edited.version


# --- Declining -------------------------------------------------------------------


def test_declining_needs_a_reason(world, submitted):
    suggestion = suggest(world, submitted)

    with pytest.raises(services.CommentRequired):
        services.suggestion_decline(
            suggestion=suggestion, acting_user=world.people["member"], reason="  "
        )

    assert ProposalSuggestion.objects.get(pk=suggestion.pk).is_open


def test_declining_tells_the_author_why(
    world, submitted, django_capture_on_commit_callbacks
):
    """Declined while the proposal is with the commission (any time): the
    reason is kept and e-mailed, the journal records it, and it can no longer
    be accepted."""
    suggestion = suggest(world, submitted)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_decline(
            suggestion=suggestion,
            acting_user=world.people["landlord_referent"],
            reason="Le bailleur transmet déjà à la commune.",
        )

    declined = ProposalSuggestion.objects.get(pk=suggestion.pk)
    assert (declined.status, declined.decline_reason) == (
        ProposalSuggestion.Status.DECLINED,
        "Le bailleur transmet déjà à la commune.",
    )
    assert [message.to for message in mail.outbox] == [
        [world.people["commission"].email]
    ]
    assert "Le bailleur transmet déjà à la commune." in mail.outbox[0].body
    assert (
        AuditEvent.for_object(submitted)
        .filter(action=AteliersVerb.SUGGESTION_DECLINE)
        .exists()
    )
    send_back(world, submitted)
    with pytest.raises(services.SuggestionAlreadyDecided):
        services.suggestion_accept(
            suggestion=suggestion, acting_user=world.people["member"]
        )


# --- The pages -------------------------------------------------------------------


def create_url(proposal):
    return reverse("ateliers:suggestion_create", kwargs={"pk": proposal.pk})


def test_the_form_starts_from_the_text_as_it_reads(world, submitted):
    """``?champ=summary`` prefills the summary and the version on screen."""
    response = signed_in(world.people["commission"]).get(
        create_url(submitted), {"champ": "summary"}
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form["text"].value() == submitted.summary
    assert form["base_version"].value() == submitted.version
    assert form["field"].value() == "summary"


def test_an_unknown_text_to_change_is_a_400(world, submitted):
    response = signed_in(world.people["commission"]).get(
        create_url(submitted), {"champ": "status"}
    )

    assert response.status_code == 400
    assert response.context["chooser"].errors


@pytest.mark.parametrize(
    ("changes", "error_on"),
    [({"comment": ""}, "comment"), ({"text": "x" * 1001}, "text")],
    ids=["no comment", "too long"],
)
def test_a_refused_suggestion_keeps_what_was_typed(world, submitted, changes, error_on):
    client = signed_in(world.people["commission"])
    page = client.get(create_url(submitted), {"champ": "summary"})
    typed = {
        **form_data(page.context["form"]),
        "text": "Un résumé réécrit par la commission.",
        "comment": "Plus clair.",
        **changes,
    }

    response = client.post(create_url(submitted), typed)

    assert response.status_code == 400
    assert error_on in response.context["form"].errors
    assert response.context["form"]["text"].value() == typed["text"]
    assert not ProposalSuggestion.objects.exists()


def test_a_proposal_decided_while_typing_keeps_the_text(world, submitted):
    """The commission validated it meanwhile: 409, the form with the text."""
    client = signed_in(world.people["commission"])
    page = client.get(create_url(submitted), {"champ": "summary"})
    services.proposal_validate(
        proposal=submitted, acting_user=world.people["commission"]
    )
    typed = {
        **form_data(page.context["form"]),
        "text": "Trop tard pour ce texte.",
        "comment": "Plus clair.",
    }

    response = client.post(create_url(submitted), typed)

    assert response.status_code == 409
    assert response.context["form"]["text"].value() == "Trop tard pour ce texte."
    assert response.context["form"].non_field_errors()


def test_the_atelier_sees_the_change_word_by_word(world, submitted):
    """Sent back, the proposal's page shows the suggestion as words added and
    removed against the current text, with its reason and the accept button."""
    suggestion = suggest(world, submitted)
    send_back(world, submitted)

    response = signed_in(world.people["member"]).get(submitted.get_absolute_url())

    html = response.content.decode()
    part = html.split('id="suggestions"', 1)[1].split("</section>", 1)[0]
    assert "<del>bailleur.</del><ins>bailleur et à la commune.</ins>" in part
    assert suggestion.comment in part
    assert (
        reverse(
            "ateliers:suggestion_accept",
            kwargs={"pk": submitted.pk, "suggestion_pk": suggestion.pk},
        )
        in part
    )


def test_while_submitted_the_page_says_why_it_cannot_be_accepted(world, submitted):
    suggest(world, submitted)

    response = signed_in(world.people["member"]).get(submitted.get_absolute_url())

    part = response.content.decode().split('id="suggestions"', 1)[1]
    part = part.split("</section>", 1)[0]
    assert "suggestion_accept" not in part
    assert 'class="notice-warning"' in part
    assert (
        reverse(
            "ateliers:suggestion_decline",
            kwargs={
                "pk": submitted.pk,
                "suggestion_pk": response.context["suggestions"][0].suggestion.pk,
            },
        )
        in part
    )


def test_partners_never_see_suggestions(world):
    """A suggestion made before validation stays out of the partner's page."""
    validated = world.proposals[S.VALIDATED]
    ProposalSuggestion.objects.create(
        proposal=validated,
        field="summary",
        base_version=validated.version,
        base_text=validated.summary,
        text="Un résumé que les partenaires ne lisent pas.",
        comment="Avant validation.",
        author=world.people["commission"],
    )

    response = signed_in(world.people["partner"]).get(validated.get_absolute_url())

    assert response.status_code == 200
    assert response.context.get("suggestions") is None
    assert "Un résumé que les partenaires ne lisent pas." not in (
        response.content.decode()
    )


def test_declining_without_a_reason_is_a_400(world, submitted):
    suggestion = suggest(world, submitted)
    url = reverse(
        "ateliers:suggestion_decline",
        kwargs={"pk": submitted.pk, "suggestion_pk": suggestion.pk},
    )

    response = signed_in(world.people["member"]).post(url, {"reason": "   "})

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert ProposalSuggestion.objects.get(pk=suggestion.pk).is_open


def test_the_history_credits_the_suggestion(world, submitted):
    """The version made by accepting reads « Suggestion de X acceptée par Y »,
    and the suggestions are listed with their outcome."""
    suggestion = suggest(world, submitted)
    send_back(world, submitted)
    services.suggestion_accept(
        suggestion=suggestion, acting_user=world.people["member"]
    )

    response = signed_in(world.people["commission"]).get(
        reverse("ateliers:proposal_history", kwargs={"pk": submitted.pk})
    )

    newest = response.context["revisions"][0]
    assert newest.suggested_by == world.people["commission"]
    assert [s.status for s in response.context["suggestions"]] == ["accepted"]
    html = response.content.decode()
    assert str(world.people["commission"]) in html.split("version-list", 1)[1]


# --- The edit conflict uses the same merge ----------------------------------------


def test_an_edit_conflict_on_one_text_combines_both_changes(world):
    """Two people changed the description in different lines at once: the
    second gets the 409 with both changes in the form, and nothing clashes."""
    proposal = write_proposal(
        world.ours, world.people["member"], description=DESCRIPTION
    )
    url = reverse("ateliers:proposal_update", kwargs={"pk": proposal.pk})
    first, second = (
        signed_in(world.people["landlord_referent"]),
        signed_in(world.people["member"]),
    )
    first_form = form_data(first.get(url).context["form"])
    second_form = form_data(second.get(url).context["form"])
    first.post(
        url,
        {**first_form, "description": DESCRIPTION.replace("trimestre", "mois")},
    )

    refused = second.post(
        url,
        {
            **second_form,
            "description": DESCRIPTION.replace("au bailleur", "à la commune"),
        },
    )

    form = refused.context["form"]
    assert refused.status_code == 409
    assert refused.context["clashing_fields"] == []
    assert refused.context["combined_fields"] == [form.fields["description"].label]
    assert form["description"].value() == DESCRIPTION.replace(
        "trimestre", "mois"
    ).replace("au bailleur", "à la commune")
