"""Writing a proposal through its pages: two people editing at once lose
nothing, fields the form does not offer cannot be forced, and wrong input is
answered with the form again, never a 500."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from ateliers.models import Proposal, ProposalComment, Session
from axes.models import Enjeu
from people.models import Organisation
from tests import factories as f
from tests.matrix import CONFIRMED

from .workspace import form_data, write_proposal

S = Proposal.Status
pytestmark = pytest.mark.django_db


def edit_url(proposal):
    return reverse("ateliers:proposal_update", kwargs={"pk": proposal.pk})


def create_url(atelier):
    return reverse("ateliers:proposal_create", kwargs={"pk": atelier.pk})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def proposal(world):
    return write_proposal(
        world.ours,
        world.people["member"],
        title="Des diagnostics en marchant",
        description="Une marche par trimestre.",
    )


class TestTwoPeopleEditingAtOnce:
    """Camille (the landlord referent) and Dominique (a volunteer) open the same
    proposal; Camille saves first."""

    @pytest.fixture
    def pages(self, world, proposal):
        camille = signed_in(world.people["landlord_referent"])
        dominique = signed_in(world.people["member"])
        camille_page = camille.get(edit_url(proposal))
        dominique_page = dominique.get(edit_url(proposal))
        return camille, camille_page, dominique, dominique_page

    def test_both_open_the_same_version(self, pages):
        """The form carries the version it was opened at."""
        _camille, camille_page, _dominique, dominique_page = pages

        for page in (camille_page, dominique_page):
            assert page.status_code == 200
            assert page.context["form"]["base_version"].value() == 1
            assert 'name="base_version" value="1"' in page.content.decode()

    @pytest.fixture
    def conflict(self, pages, proposal):
        """Camille saves a new title; Dominique then saves a new description
        from the version both opened."""
        camille, camille_page, dominique, dominique_page = pages
        camille_saved = camille.post(
            edit_url(proposal),
            {
                **form_data(camille_page.context["form"]),
                "title": "Des diagnostics en marchant, un par trimestre",
            },
        )
        typed = {
            **form_data(dominique_page.context["form"]),
            "description": "Une marche par mois, avec les gardiens.",
        }
        refused = dominique.post(edit_url(proposal), typed)
        return camille_saved, refused, typed

    def test_the_first_save_goes_through(self, conflict, proposal):
        """Camille's save redirects to the proposal at version 2."""
        camille_saved, _refused, _typed = conflict

        assert (camille_saved.status_code, camille_saved.url) == (
            302,
            proposal.get_absolute_url(),
        )

    def test_the_second_save_is_refused_with_409_and_keeps_the_database(
        self, conflict, proposal
    ):
        """Dominique's save does not overwrite Camille's: 409, and the database
        holds Camille's version."""
        _camille_saved, refused, _typed = conflict

        saved = Proposal.objects.get(pk=proposal.pk)
        assert refused.status_code == 409
        assert (saved.version, saved.title, saved.description) == (
            2,
            "Des diagnostics en marchant, un par trimestre",
            "Une marche par trimestre.",
        )
        assert saved.revisions.count() == 2

    def test_what_the_second_person_typed_is_kept_in_the_form(self, conflict):
        """Nothing Dominique typed is lost: it is in the form on the 409 page."""
        _camille_saved, refused, typed = conflict

        html = refused.content.decode()
        assert refused.context["form"]["description"].value() == typed["description"]
        assert "Une marche par mois, avec les gardiens." in html

    def test_the_other_persons_change_is_shown(self, conflict):
        """The 409 page shows what Camille changed, field by field."""
        _camille_saved, refused, _typed = conflict

        changes = refused.context["conflict_changes"]
        html = refused.content.decode()
        conflict_part = html.split("conflict-alert", 1)[1].split("</section>", 1)[0]
        assert [(c.name, c.after) for c in changes] == [
            ("title", "Des diagnostics en marchant, un par trimestre")
        ]
        assert "<ins>" in conflict_part
        assert "un par trimestre" in conflict_part
        assert [r.version for r in refused.context["conflict_revisions"]] == [2]

    def test_their_untouched_fields_are_merged_into_the_form(self, conflict):
        """Camille's title is already in Dominique's form (Dominique had not
        changed it); Dominique's description stays as typed; nothing clashes."""
        _camille_saved, refused, typed = conflict

        form = refused.context["form"]
        assert form["title"].value() == "Des diagnostics en marchant, un par trimestre"
        assert form["description"].value() == typed["description"]
        assert refused.context["merged_fields"] == [form.fields["title"].label]
        assert refused.context["clashing_fields"] == []

    def test_the_form_now_carries_the_current_version(self, conflict):
        """Having seen Camille's change, Dominique can save again."""
        _camille_saved, refused, _typed = conflict

        assert refused.context["form"]["base_version"].value() == 2
        assert 'name="base_version" value="2"' in refused.content.decode()

    def test_saving_again_goes_through_and_history_keeps_both(
        self, conflict, pages, proposal, world
    ):
        """Dominique's second save (from version 2) is saved as version 3 and
        keeps Camille's title, merged into the form because Dominique had not
        touched it; the history lists both people's versions."""
        _camille, _camille_page, dominique, _dominique_page = pages
        _camille_saved, refused, _typed = conflict

        saved_again = dominique.post(
            edit_url(proposal), form_data(refused.context["form"])
        )

        saved = Proposal.objects.get(pk=proposal.pk)
        assert saved_again.status_code == 302
        assert saved.description == "Une marche par mois, avec les gardiens."
        assert saved.title == "Des diagnostics en marchant, un par trimestre"
        assert saved.version == 3
        history = dominique.get(
            reverse("ateliers:proposal_history", kwargs={"pk": proposal.pk})
        )
        revisions = history.context["revisions"]
        assert [(r.version, r.author) for r in revisions] == [
            (3, world.people["member"]),
            (2, world.people["landlord_referent"]),
            (1, world.people["member"]),
        ]

    def test_a_save_without_base_version_is_refused_not_guessed(self, world, proposal):
        """A form that lost its hidden version (an old tab, a hand-made POST)
        is answered with the form again, not saved over someone else's work."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])
        del data["base_version"]

        response = client.post(edit_url(proposal), {**data, "title": "Autre titre"})

        assert response.status_code == 200
        assert "base_version" in response.context["form"].errors
        assert Proposal.objects.get(pk=proposal.pk).version == 1

    def test_the_proposal_submitted_meanwhile_is_not_edited(self, world, proposal):
        """Someone submitted the proposal while another person was editing it:
        the proposal is no longer editable, so the save is refused (409) with
        the form shown again holding the typed text, and nothing changes."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])
        signed_in(world.people["landlord_referent"]).post(
            reverse("ateliers:proposal_submit", kwargs={"pk": proposal.pk}), CONFIRMED
        )

        response = client.post(edit_url(proposal), {**data, "title": "Trop tard"})

        saved = Proposal.objects.get(pk=proposal.pk)
        assert response.status_code == 409
        assert response.context["form"]["title"].value() == "Trop tard"
        assert response.context["form"].non_field_errors()
        assert (saved.status, saved.title) == (S.SUBMITTED, proposal.title)


EXTRA_FIELDS = {
    "status": S.VALIDATED,
    "version": 99,
    "number": 42,
}


def forged(world) -> dict:
    """Fields the form does not offer, pointing elsewhere."""
    return {
        **EXTRA_FIELDS,
        "atelier": world.theirs.pk,
        "created_by": world.people["other_member"].pk,
        "authors": [world.people["other_member"].pk, world.people["partner"].pk],
    }


def test_browser_line_breaks_are_no_change(world, proposal):
    """A browser sends line breaks as \r\n: saving the form untouched changes
    nothing (no new version, no field listed as changed)."""
    proposal.description = "Constat :\n- un\n- deux"
    proposal.save()
    client = signed_in(world.people["member"])
    data = form_data(client.get(edit_url(proposal)).context["form"])
    data = {
        k: v.replace("\n", "\r\n") if isinstance(v, str) else v for k, v in data.items()
    }

    client.post(edit_url(proposal), data)

    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.version, saved.description) == (1, "Constat :\n- un\n- deux")


def test_moving_to_a_namesake_territory_is_a_change(world, proposal):
    """A bassin and a commune may share a name: choosing the one instead of the
    other is saved, not taken for "nothing changed"."""
    bassin = f.BassinFactory(name="Homonyme")
    commune = f.CommuneFactory(name="Homonyme", parent=bassin)
    proposal.territories.set([bassin])
    client = signed_in(world.people["member"])
    data = form_data(client.get(edit_url(proposal)).context["form"])

    response = client.post(edit_url(proposal), {**data, "territories": [commune.pk]})

    saved = Proposal.objects.get(pk=proposal.pk)
    assert response.status_code == 302
    assert list(saved.territories.all()) == [commune]
    assert saved.version == 2


class TestFieldsTheFormDoesNotOffer:
    def test_an_edit_cannot_set_status_version_atelier_number_or_people(
        self, world, proposal
    ):
        """Status, version, atelier, number, creator and authors are the
        services'; posting them changes none of them."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(
            edit_url(proposal), {**data, **forged(world), "title": "Titre modifié"}
        )

        saved = Proposal.objects.get(pk=proposal.pk)
        assert response.status_code == 302
        assert saved.title == "Titre modifié"
        assert (saved.status, saved.version, saved.atelier, saved.number) == (
            S.DRAFT,
            2,
            world.ours,
            proposal.number,
        )
        assert saved.created_by == world.people["member"]
        assert list(saved.authors.all()) == [world.people["member"]]

    def test_a_new_proposal_cannot_set_them_either(self, world):
        """A new proposal is a draft at version 1 of the atelier of the page,
        numbered next, by the person who posted it."""
        client = signed_in(world.people["public_coanimator"])
        next_number = max(p.number for p in world.proposals.values()) + 1
        data = {
            "title": "Une nouvelle proposition",
            "enjeu": world.enjeux[world.ours.pk][0].pk,
            "summary": "Résumé.",
            "priority": Proposal.Priority.LOW,
        }

        response = client.post(create_url(world.ours), {**data, **forged(world)})

        created = Proposal.objects.get(title="Une nouvelle proposition")
        assert (response.status_code, response.url) == (302, created.get_absolute_url())
        assert (created.status, created.version, created.atelier) == (
            S.DRAFT,
            1,
            world.ours,
        )
        assert created.number == next_number
        assert created.created_by == world.people["public_coanimator"]
        assert list(created.authors.all()) == [world.people["public_coanimator"]]


class TestWrongInput:
    def test_an_empty_title_is_reported_next_to_the_field_and_the_rest_is_kept(
        self, world, proposal
    ):
        """The form comes back (200) with the error at the title; what was typed
        in the other fields is still there; nothing is saved."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(
            edit_url(proposal),
            {**data, "title": "", "actions": "- rencontrer les amicales"},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["title"]
        assert 'id="id_title"' in html
        assert "is-invalid" in html.split('id="id_title"', 1)[0].rsplit("<input", 1)[1]
        assert "- rencontrer les amicales" in html
        assert "Une marche par trimestre." in html
        assert Proposal.objects.get(pk=proposal.pk).version == 1

    def test_a_new_proposal_without_a_title_keeps_what_was_typed(self, world):
        """Creating: the same, and no proposal is created."""
        client = signed_in(world.people["member"])
        before = Proposal.objects.count()

        response = client.post(
            create_url(world.ours),
            {
                "title": "",
                "enjeu": world.enjeux[world.ours.pk][0].pk,
                "summary": "Un résumé soigneusement écrit.",
                "priority": Proposal.Priority.HIGH,
            },
        )

        assert response.status_code == 200
        assert "title" in response.context["form"].errors
        assert "Un résumé soigneusement écrit." in response.content.decode()
        assert Proposal.objects.count() == before

    def test_an_enjeu_of_another_axis_is_a_form_error(self, world, proposal):
        """Only the enjeux of the atelier's axis are offered; another one posted
        by hand is an error of the enjeu field."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(
            edit_url(proposal), {**data, "enjeu": world.enjeux[world.theirs.pk][0].pk}
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["enjeu"]
        assert Proposal.objects.get(pk=proposal.pk).enjeu == proposal.enjeu

    def test_the_enjeu_list_offers_only_the_atelier_axis(self, world, proposal):
        """The enjeu field lists the enjeux of axis 1 only."""
        client = signed_in(world.people["member"])

        form = client.get(edit_url(proposal)).context["form"]

        assert set(form.fields["enjeu"].queryset) == set(world.enjeux[world.ours.pk])

    def test_an_over_long_title_is_a_form_error(self, world, proposal):
        """Titles are at most 255 characters."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(edit_url(proposal), {**data, "title": "x" * 256})

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["title"]

    @pytest.mark.parametrize(
        ("base_version", "status"),
        [
            # Malformed or not the current one: a conflict, never an error on
            # a field the person cannot see (cucs_portal.fields.BaseVersionField).
            pytest.param("abc", 409, id="not-a-number"),
            pytest.param("1.5", 409, id="not-an-integer"),
            pytest.param("-1", 409, id="negative"),
            pytest.param("99", 409, id="from-the-future"),
        ],
    )
    def test_a_mangled_version_is_never_saved(
        self, world, proposal, base_version, status
    ):
        """A hidden version that is not the current one, malformed or not, is
        an edit conflict: the page shows what is saved now; nothing is saved."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(
            edit_url(proposal), {**data, "base_version": base_version, "title": "T"}
        )

        assert response.status_code == status
        assert Proposal.objects.get(pk=proposal.pk).title == proposal.title

    @pytest.mark.parametrize("field", ["enjeu", "lead_organisation", "territories"])
    def test_an_unknown_id_is_a_form_error(self, world, proposal, field):
        """An id that does not exist is reported at its field."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])

        response = client.post(edit_url(proposal), {**data, field: 987654})

        assert response.status_code == 200
        assert field in response.context["form"].errors

    @pytest.mark.parametrize("body", ["", "   "])
    def test_an_empty_comment_is_400_with_the_error(self, world, body):
        """The proposal page comes back with the error at the comment field."""
        proposal = world.proposals[S.SUBMITTED]
        client = signed_in(world.people["commission"])

        response = client.post(
            reverse("ateliers:proposal_comment", kwargs={"pk": proposal.pk}),
            {"body": body},
        )

        assert response.status_code == 400
        assert "body" in response.context["comment_form"].errors
        assert 'id="id_body"' in response.content.decode()
        assert not ProposalComment.objects.exists()

    def test_an_over_long_comment_is_400_and_kept(self, world):
        """A comment over 5000 characters is refused; its text is in the form."""
        proposal = world.proposals[S.SUBMITTED]
        client = signed_in(world.people["member"])
        body = "Un long commentaire. " * 250

        response = client.post(
            reverse("ateliers:proposal_comment", kwargs={"pk": proposal.pk}),
            {"body": body},
        )

        assert response.status_code == 400
        assert "body" in response.context["comment_form"].errors
        assert body.strip() in response.content.decode()
        assert not ProposalComment.objects.exists()

    def test_a_session_with_a_wrong_date_is_a_form_error(self, world):
        """The session form says what is wrong, and saves nothing."""
        client = signed_in(world.people["landlord_referent"])
        before = Session.objects.count()

        response = client.post(
            reverse("ateliers:session_create", kwargs={"pk": world.ours.pk}),
            {"starts_at": "le 32 mars", "place": "Mairie", "agenda": "Ordre du jour"},
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["starts_at"]
        assert "Ordre du jour" in response.content.decode()
        assert Session.objects.count() == before

    def test_minutes_cannot_record_someone_outside_the_atelier(self, world):
        """Attendance is chosen among the people of the atelier."""
        session = Session.objects.get(atelier=world.ours)
        client = signed_in(world.people["landlord_referent"])

        response = client.post(
            reverse(
                "ateliers:session_record",
                kwargs={"pk": world.ours.pk, "session_pk": session.pk},
            ),
            {"attendees": [world.people["partner"].pk], "minutes": "CR"},
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["attendees"]

    @pytest.mark.parametrize(
        "who",
        [
            pytest.param("member", id="already-in-the-atelier"),
            pytest.param("partner", id="not-landlord-staff"),
            pytest.param(None, id="nobody"),
        ],
    )
    def test_a_volunteer_who_cannot_join_is_a_form_error(self, world, who):
        """Only landlord staff not yet in the atelier are offered; anyone else
        posted by hand is an error of the field, and nothing changes."""
        client = signed_in(world.people["landlord_referent"])
        before = world.ours.memberships.count()

        response = client.post(
            reverse("ateliers:members", kwargs={"pk": world.ours.pk}),
            {"user": world.people[who].pk if who else ""},
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["user"]
        assert world.ours.memberships.count() == before

    def test_an_enjeu_without_a_title_is_a_form_error(self, world):
        """Enjeux have a title."""
        enjeu = world.enjeux[world.ours.pk][0]
        client = signed_in(world.people["landlord_referent"])

        response = client.post(
            reverse(
                "ateliers:enjeu_update",
                kwargs={"pk": world.ours.pk, "enjeu_pk": enjeu.pk},
            ),
            {"title": "", "description": "Description gardée"},
        )

        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["title"]
        assert "Description gardée" in response.content.decode()
        assert Enjeu.objects.get(pk=enjeu.pk).title == enjeu.title


class TestAtelierRunning:
    def test_adding_a_volunteer_shows_them_and_warns_outside_3_to_4(self, world):
        """With two volunteers the co-animator is reminded that 3–4 are
        recommended; with the third the warning goes away."""
        client = signed_in(world.people["landlord_referent"])
        url = reverse("ateliers:members", kwargs={"pk": world.ours.pk})
        second, third = f.UserFactory.create_batch(2, landlord_staff=True)

        after_second = client.post(url, {"user": second.pk}, follow=True)
        after_third = client.post(url, {"user": third.pk}, follow=True)

        assert after_second.context["size_warning"] is True
        assert any(m.level_tag == "warning" for m in after_second.context["messages"])
        assert after_third.context["size_warning"] is False
        assert not any(
            m.level_tag == "warning" for m in after_third.context["messages"]
        )
        assert str(third.get_full_name()) in after_third.content.decode()

    def test_removing_a_co_animator_is_refused_with_a_message(self, world):
        """The page says co-animators are changed by the secretariat."""
        membership = world.ours.memberships.get(user=world.people["public_coanimator"])
        client = signed_in(world.people["landlord_referent"])

        response = client.post(
            reverse(
                "ateliers:member_remove",
                kwargs={"pk": world.ours.pk, "membership_pk": membership.pk},
            ),
            follow=True,
        )

        assert any(m.level_tag == "error" for m in response.context["messages"])
        assert world.ours.memberships.filter(pk=membership.pk).exists()

    def test_a_get_on_an_action_changes_nothing(self, world):
        """A link followed by a crawler or a prefetch does not remove anyone,
        move an enjeu, submit or withdraw a proposal: 405, or the confirmation
        page of an action that asks first."""
        client = signed_in(world.people["superuser"])
        membership = world.ours.memberships.get(user=world.people["member"])
        draft = world.proposals[S.DRAFT]
        enjeu = world.enjeux[world.ours.pk][1]
        urls = [
            reverse(
                "ateliers:member_remove",
                kwargs={"pk": world.ours.pk, "membership_pk": membership.pk},
            ),
            reverse("ateliers:proposal_withdraw", kwargs={"pk": draft.pk}),
            reverse("ateliers:proposal_comment", kwargs={"pk": draft.pk}),
        ]
        asking = [
            reverse(
                "ateliers:enjeu_up", kwargs={"pk": world.ours.pk, "enjeu_pk": enjeu.pk}
            ),
            reverse("ateliers:proposal_submit", kwargs={"pk": draft.pk}),
        ]

        for url in urls:
            assert client.get(url).status_code == 405, url
        for url in asking:
            response = client.get(url)
            assert response.templates[0].name == "confirm.html", url

        assert world.ours.memberships.filter(pk=membership.pk).exists()
        assert Enjeu.objects.get(pk=enjeu.pk).position == 2
        assert Proposal.objects.get(pk=draft.pk).status == S.DRAFT

    def test_moving_an_enjeu_up_reorders_the_page(self, world):
        """The enjeux page lists the second enjeu first after it moved up."""
        first, second = world.enjeux[world.ours.pk]
        client = signed_in(world.people["public_coanimator"])

        response = client.post(
            reverse(
                "ateliers:enjeu_up", kwargs={"pk": world.ours.pk, "enjeu_pk": second.pk}
            ),
            follow=True,
        )

        assert list(response.context["enjeux"]) == [second, first]
        assert [e.position for e in response.context["enjeux"]] == [1, 2]

    def test_the_lead_organisation_is_optional(self, world, proposal):
        """A proposal may not have found its lead organisation yet."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])
        data.pop("lead_organisation", None)

        response = client.post(edit_url(proposal), {**data, "title": "Sans pilote"})

        assert response.status_code == 302
        assert Proposal.objects.get(pk=proposal.pk).lead_organisation is None

    def test_partners_and_territories_are_saved(self, world, proposal):
        """The lists of the form are saved with the proposal and in its history."""
        client = signed_in(world.people["member"])
        data = form_data(client.get(edit_url(proposal)).context["form"])
        dde = Organisation.objects.get(short_name="DDE")

        client.post(edit_url(proposal), {**data, "partner_organisations": [dde.pk]})

        saved = Proposal.objects.get(pk=proposal.pk)
        assert list(saved.partner_organisations.all()) == [dde]
        assert saved.revisions.get(version=2).changed_fields == [
            "partner_organisations"
        ]


def test_the_commission_request_is_in_sight_while_editing(world):
    """After the commission sends a proposal back, its edit page shows what the
    commission asked, so the atelier need not switch pages."""
    from ateliers import services

    proposal = world.proposals[S.SUBMITTED]
    services.proposal_request_changes(
        proposal=proposal,
        acting_user=world.people["commission"],
        comment="Chiffrer le budget par site.",
    )

    response = signed_in(world.people["member"]).get(edit_url(proposal))

    assert response.status_code == 200
    assert response.context["commission_request"].comment == (
        "Chiffrer le budget par site."
    )
    assert "Chiffrer le budget par site." in response.content.decode()


def test_the_submit_button_says_what_is_still_empty(world):
    """Before submitting, a co-animator sees which of the fields the commission
    needs are still empty."""
    proposal = world.proposals[S.DRAFT]
    proposal.indicators = ""
    proposal.save()
    proposal.territories.clear()

    response = signed_in(world.people["landlord_referent"]).get(
        proposal.get_absolute_url()
    )

    missing = response.context["missing_fields"]
    assert str(Proposal._meta.get_field("indicators").verbose_name) in missing
    assert str(Proposal._meta.get_field("territories").verbose_name) in missing
    assert missing[0] in response.content.decode()


def test_reopening_an_action_address_does_nothing_and_says_so(world, proposal):
    """Reloading the address a form posted to (a GET) changes nothing: 405, a
    page that says nothing was done, and a link back to the proposal."""
    url = reverse("ateliers:proposal_comment", kwargs={"pk": proposal.pk})
    before = proposal.comments.count()

    response = signed_in(world.people["member"]).get(url)

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.context["back_url"] == proposal.get_absolute_url()
    assert proposal.comments.count() == before


@pytest.mark.parametrize(
    ("day", "warned"), [("2007-03-15", False), ("2026-12-10", True)]
)
def test_a_session_outside_the_period_is_saved_with_a_warning(world, day, warned):
    """A session outside the atelier's period is not refused (an extra meeting
    may come later) but the co-animator is asked to check its date."""
    from django.contrib.messages import get_messages

    world.ours.period_start, world.ours.period_end = (
        datetime.date(2007, 2, 1),
        datetime.date(2007, 4, 30),
    )
    world.ours.save()
    client = signed_in(world.people["landlord_referent"])

    response = client.post(
        reverse("ateliers:session_create", kwargs={"pk": world.ours.pk}),
        {"starts_at": f"{day}T14:00", "place": "Mairie", "agenda": ""},
    )

    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert ("warning" in levels) is warned
