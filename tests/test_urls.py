"""Every page × every role: who gets the page, who is sent to the login, who is
refused. A URL added to the project without a row here fails
``test_every_url_has_a_row_in_the_matrix``.

Roles are those of tests/world.py, relative to atelier ``ours``. A superuser
holds every permission through Django's ModelBackend: the last column says what
that means for them, e.g. the edit page of a validated proposal opens, and saving
it is refused by the service (back to the proposal with an error, nothing changed).

Every request that is not expected to save something leaves the database as it
was: a GET, a refusal, a redirect to the login page, a 404 or a 405 changes nothing.
A PDF download only counts itself (the edition's or the share link's counter).

The commission's sessions are the world's (tests/world.py): a convened one
with the submitted proposal of ``ours`` on its agenda, where the delegate's
organisation has a position, and a closed one that decided a proposal of
``theirs``. A superuser passes every permission of the sessions but is the
delegate of no member organisation: a position they send is refused by the
service and the agenda comes back (409), nothing saved; on a
closed session, where the rules refuse the secretariat, a superuser gets the
pages and the service refuses the saves.

The référentiel's rows use, besides the world, a draft edition, a published one
whose PDF is rendered for real once for this module, and three share links to
it: active, revoked and expired (see the ``world`` fixture below).
"""

import datetime
import hashlib
import importlib

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ateliers.models import (
    AtelierMembership,
    Proposal,
    ProposalComment,
    ProposalRevision,
    Session,
)
from audit.models import AuditEvent
from axes.models import Axis, Enjeu
from commission.models import (
    AgendaItem,
    AxisDecision,
    AxisPosition,
    CommissionSession,
    ItemPosition,
    ValidationRound,
)
from referentiel import services as referentiel_services
from referentiel.models import Edition, EditionEntry, Rendition, ShareLink
from referentiel.tasks import render_rendition
from tests.matrix import (
    CONFIRMED,
    MATRIX_MODULES,
    NO_SUCH_ID,
    A,
    C,
    D,
    Downloaded,
    E,
    G,
    H,
    K,
    L,
    M,
    Missing,
    N,
    O,
    P,
    Page,
    R,
    W,
    Y,
    access_cases,
    all_pages,
    assert_csrf_refused,
    assert_outcome,
    assert_rows_complete,
    csrf_cases,
    request,
    url_names,
)

S = Proposal.Status


def ours(world):
    return {"pk": world.ours.pk}


def on_proposal(status):
    return lambda world: {"pk": world.proposals[status].pk}


def proposal_page(status, anchor=""):
    return lambda world: world.proposals[status].get_absolute_url() + anchor


def members_page(world):
    return reverse("ateliers:members", kwargs=ours(world))


def sessions_part(world):
    return world.ours.get_absolute_url() + "#sessions"


def enjeux_page(world):
    return reverse("ateliers:enjeux", kwargs=ours(world))


def membership(world, role):
    return AtelierMembership.objects.get(user=world.people[role]).pk


def our_session(world):
    return Session.objects.get(atelier=world.ours).pk


def edited(world, status):
    """The edit form of a world proposal, sent back with a new title."""
    proposal = world.proposals[status]
    return {
        "title": "Titre retravaillé en atelier",
        "enjeu": proposal.enjeu_id,
        "summary": proposal.summary,
        "priority": Proposal.Priority.HIGH,
        "base_version": proposal.version,
    }


def new_proposal(world):
    return {
        "title": "Une nouvelle proposition",
        "enjeu": world.enjeux[world.ours.pk][0].pk,
        "summary": "Deux phrases qu’un partenaire comprend seul.",
        "priority": Proposal.Priority.MEDIUM,
    }


def session_kwargs(world, atelier=None):
    return {"pk": (atelier or world.ours).pk, "session_pk": our_session(world)}


def enjeu_kwargs(world, index):
    return {"pk": world.ours.pk, "enjeu_pk": world.enjeux[world.ours.pk][index].pk}


def moved_enjeu(index):
    """The enjeux page, scrolled to the enjeu just moved."""
    return lambda w: f"{enjeux_page(w)}#enjeu-{enjeu_kwargs(w, index)['enjeu_pk']}"


def round_kwargs(state):
    return lambda world: {"pk": world.rounds[state].pk}


def round_page(state, anchor=""):
    return lambda world: world.rounds[state].get_absolute_url() + anchor


def position_form(number, position="approve", comment="", prefix=None):
    """What the round page posts for axis ``number``: its form, prefixed."""

    def data(world):
        axis = Axis.objects.get(number=number)
        name = f"axis{axis.pk}"
        return {
            "prefix": name if prefix is None else prefix,
            f"{name}-axis": axis.pk,
            f"{name}-position": position,
            f"{name}-comment": comment,
        }

    return data


def commission_session(state):
    return lambda world: {"pk": world.sessions[state].pk}


def session_page(state):
    return lambda world: world.sessions[state].get_absolute_url()


def agenda_item(world, state) -> AgendaItem:
    """The one item of the world's ``state`` session."""
    return world.sessions[state].items.get()


def on_item(state, item_state=None):
    """A URL of the ``state`` session about the item of ``item_state``'s (its
    own by default; another session's, to check it is not found there)."""
    return lambda world: {
        "pk": world.sessions[state].pk,
        "item_pk": agenda_item(world, item_state or state).pk,
    }


def item_page(state):
    """The session page, scrolled to its item."""
    return lambda w: f"{session_page(state)(w)}#item-{agenda_item(w, state).pk}"


def item_position(state, position, comment="", stale=False, item_state=None):
    """What the agenda page posts for the item: its form, prefixed, with the
    version of the delegate organisation's position it showed (``stale``: as
    if shown before that position was recorded)."""

    def data(world):
        item = agenda_item(world, item_state or state)
        mine = item.positions.filter(
            organisation=world.people["commission"].organisation
        ).first()
        name = f"item{item.pk}"
        return {
            f"{name}-position": position,
            f"{name}-comment": comment,
            f"{name}-base_version": 0 if stale or mine is None else mine.version,
        }

    return data


def session_form(**fields):
    """The session form: a new date, time and place, the submitted proposal of
    ``ours`` on the agenda (where the convened session has it), and the
    convened session's version."""
    return lambda world: {
        "date": "2030-06-21",
        "time": "09:30",
        "place": "Salle du conseil, Saint-Chamond",
        "proposals": [world.proposals[S.SUBMITTED].pk],
        "base_version": world.sessions["convened"].version,
        **{k: v(world) if callable(v) else v for k, v in fields.items()},
    }


def minutes_form(**counts):
    return {
        "recorded": "on",
        "approve": 1,
        "reservations": 0,
        "changes": 0,
        "oppose": 0,
        "abstain": 0,
        "comments": "",
        **counts,
    }


def edition(state):
    return lambda world: {"pk": world.editions[state].pk}


def edition_page(state, anchor=""):
    return lambda world: world.editions[state].get_absolute_url() + anchor


def latest_edition(world):
    return Edition.objects.latest("pk").get_absolute_url()


def on_entry(state, status=S.VALIDATED):
    return lambda world: {
        "pk": world.editions[state].pk,
        "proposal_pk": world.proposals[status].pk,
    }


def entry_anchor(state):
    """The edition page, scrolled to the world's validated proposal."""
    return lambda w: (
        edition_page(state)(w) + f"#proposition-{w.proposals[S.VALIDATED].pk}"
    )


def edition_form(**fields):
    """The edit form of the draft edition, sent back with a new title."""
    return lambda world: {
        "title": "Référentiel CUCS, édition de septembre",
        "place": "Firminy",
        "event_date": "2007-09-20",
        "introduction": "Les constats.",
        "version": world.editions["draft"].version,
        **fields,
    }


def compared(old, new):
    return lambda world: {"old": world.editions[old].pk, "new": world.editions[new].pk}


def share_link(name):
    return lambda world: {"pk": world.share_links[name].pk}


def share_token(name, altered=False):
    def kwargs(world):
        token = world.share_links[name].token
        if altered:
            token = token[:-1] + ("A" if token[-1] != "A" else "B")
        return {"token": token}

    return kwargs


PAGES = {
    "dashboard": Page("dashboard"),
    "axis": Page("axes:detail", lambda w: {"number": w.ours.axis.number}),
    "axis, missing": Page("axes:detail", lambda w: {"number": 99}),
    "atelier list": Page("ateliers:list"),
    "atelier": Page("ateliers:detail", lambda w: {"pk": w.ours.pk}),
    "atelier, missing": Page("ateliers:detail", lambda w: {"pk": NO_SUCH_ID}),
    **{
        f"{status} proposal": Page(
            "ateliers:proposal_detail",
            lambda w, status=status: {"pk": w.proposals[status].pk},
        )
        for status in S.values
    },
    "proposal, missing": Page("ateliers:proposal_detail", lambda w: {"pk": NO_SUCH_ID}),
    "login": Page("login"),
    "logout": Page("logout", method="post"),
    "password change": Page("password_change"),
    "password changed": Page("password_change_done"),
    "password reset": Page("password_reset"),
    "password reset sent": Page("password_reset_done"),
    "password reset, invalid link": Page(
        "password_reset_confirm", lambda w: {"uidb64": "MA", "token": "perime"}
    ),
    "password reset done": Page("password_reset_complete"),
    "language": Page("set_language", method="post", data={"language": "fr"}),
    "admin": Page("admin:index"),
    # For load balancers: no login, GET and HEAD only.
    "health": Page("health"),
    "health, post": Page("health", method="post"),
    # --- Running an atelier (manage_atelier) ---
    "members": Page("ateliers:members", ours),
    "members, add": Page(
        "ateliers:members",
        ours,
        method="post",
        data=lambda w: {"user": w.people["other_member"].pk},
        done=members_page,
    ),
    "members, missing atelier": Page("ateliers:members", lambda w: {"pk": NO_SUCH_ID}),
    "member remove": Page(
        "ateliers:member_remove",
        lambda w: {**ours(w), "membership_pk": membership(w, "member")},
        method="post",
        done=members_page,
    ),
    "member remove, read": Page(
        "ateliers:member_remove",
        lambda w: {**ours(w), "membership_pk": membership(w, "member")},
    ),
    "member remove, a co-animator": Page(
        "ateliers:member_remove",
        lambda w: {**ours(w), "membership_pk": membership(w, "landlord_referent")},
        method="post",
        done=members_page,
    ),
    "member remove, of another atelier": Page(
        "ateliers:member_remove",
        lambda w: {**ours(w), "membership_pk": membership(w, "other_member")},
        method="post",
    ),
    "member remove, missing": Page(
        "ateliers:member_remove",
        lambda w: {**ours(w), "membership_pk": NO_SUCH_ID},
        method="post",
    ),
    "session create": Page("ateliers:session_create", ours),
    "session create, save": Page(
        "ateliers:session_create",
        ours,
        method="post",
        data={
            "starts_at": "2030-03-01T14:00",
            "place": "Mairie de Rive-de-Gier",
            "agenda": "Tour de table.",
        },
        done=sessions_part,
    ),
    "session create, missing atelier": Page(
        "ateliers:session_create", lambda w: {"pk": NO_SUCH_ID}
    ),
    "session update": Page("ateliers:session_update", session_kwargs),
    "session update, save": Page(
        "ateliers:session_update",
        session_kwargs,
        method="post",
        data={
            "starts_at": "2030-03-08T14:00",
            "place": "Salle polyvalente de Firminy",
            "agenda": "Relecture des propositions.",
        },
        done=sessions_part,
    ),
    "session update, of another atelier": Page(
        "ateliers:session_update", lambda w: session_kwargs(w, atelier=w.theirs)
    ),
    "session update, missing": Page(
        "ateliers:session_update", lambda w: {**ours(w), "session_pk": NO_SUCH_ID}
    ),
    "session record": Page("ateliers:session_record", session_kwargs),
    "session record, save": Page(
        "ateliers:session_record",
        session_kwargs,
        method="post",
        data=lambda w: {
            "attendees": [w.people["member"].pk, w.people["public_coanimator"].pk],
            "minutes": "Compte rendu : deux propositions avancent.",
        },
        done=sessions_part,
    ),
    "session record, missing": Page(
        "ateliers:session_record", lambda w: {**ours(w), "session_pk": NO_SUCH_ID}
    ),
    "enjeux": Page("ateliers:enjeux", ours),
    "enjeux, add": Page(
        "ateliers:enjeux",
        ours,
        method="post",
        data={"title": "Un troisième enjeu", "description": ""},
        done=enjeux_page,
    ),
    "enjeux, missing atelier": Page("ateliers:enjeux", lambda w: {"pk": NO_SUCH_ID}),
    "enjeu update": Page("ateliers:enjeu_update", lambda w: enjeu_kwargs(w, 0)),
    "enjeu update, save": Page(
        "ateliers:enjeu_update",
        lambda w: enjeu_kwargs(w, 0),
        method="post",
        data={"title": "Enjeu reformulé", "description": "Plus précis."},
        done=enjeux_page,
    ),
    "enjeu update, of another axis": Page(
        "ateliers:enjeu_update",
        lambda w: {**ours(w), "enjeu_pk": w.enjeux[w.theirs.pk][0].pk},
    ),
    "enjeu update, missing": Page(
        "ateliers:enjeu_update", lambda w: {**ours(w), "enjeu_pk": NO_SUCH_ID}
    ),
    "enjeu up": Page(
        "ateliers:enjeu_up",
        lambda w: enjeu_kwargs(w, 1),
        "post",
        data=CONFIRMED,
        done=moved_enjeu(1),
    ),
    "enjeu up, read": Page("ateliers:enjeu_up", lambda w: enjeu_kwargs(w, 1)),
    # The published edition of this module printed the validated proposal
    # of ``ours`` under the first enjeu: moving asks first.
    "enjeu up, unconfirmed": Page(
        "ateliers:enjeu_up", lambda w: enjeu_kwargs(w, 1), "post"
    ),
    "enjeu up, missing": Page(
        "ateliers:enjeu_up", lambda w: {**ours(w), "enjeu_pk": NO_SUCH_ID}, "post"
    ),
    "enjeu down": Page(
        "ateliers:enjeu_down",
        lambda w: enjeu_kwargs(w, 0),
        "post",
        data=CONFIRMED,
        done=moved_enjeu(0),
    ),
    "enjeu down, read": Page("ateliers:enjeu_down", lambda w: enjeu_kwargs(w, 0)),
    # --- Proposals ---
    "proposal list": Page("ateliers:proposal_list"),
    "proposal create": Page("ateliers:proposal_create", ours),
    "proposal create, save": Page(
        "ateliers:proposal_create",
        ours,
        method="post",
        data=new_proposal,
        done=lambda w: Proposal.objects.latest("pk").get_absolute_url(),
    ),
    "proposal create, in another atelier": Page(
        "ateliers:proposal_create", lambda w: {"pk": w.theirs.pk}
    ),
    "proposal create, missing atelier": Page(
        "ateliers:proposal_create", lambda w: {"pk": NO_SUCH_ID}
    ),
    **{
        f"{status} proposal, edit": Page(
            "ateliers:proposal_update", on_proposal(status)
        )
        for status in S.values
    },
    **{
        f"{status} proposal, save": Page(
            "ateliers:proposal_update",
            on_proposal(status),
            method="post",
            data=lambda w, status=status: edited(w, status),
            done=proposal_page(status),
        )
        for status in S.values
    },
    "proposal edit, missing": Page(
        "ateliers:proposal_update", lambda w: {"pk": NO_SUCH_ID}
    ),
    **{
        f"{status} proposal, submit": Page(
            "ateliers:proposal_submit",
            on_proposal(status),
            method="post",
            data=CONFIRMED,
            done=proposal_page(status),
        )
        for status in S.values
    },
    # The button of the proposal's page: the confirmation page, nothing done.
    "draft proposal, submit unconfirmed": Page(
        "ateliers:proposal_submit", on_proposal(S.DRAFT), method="post"
    ),
    "proposal submit, read": Page("ateliers:proposal_submit", on_proposal(S.DRAFT)),
    "submitted proposal, submit page": Page(
        "ateliers:proposal_submit",
        on_proposal(S.SUBMITTED),
        done=proposal_page(S.SUBMITTED),
    ),
    "proposal submit, missing": Page(
        "ateliers:proposal_submit", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    **{
        f"{status} proposal, withdraw": Page(
            "ateliers:proposal_withdraw",
            on_proposal(status),
            method="post",
            done=proposal_page(status),
        )
        for status in S.values
    },
    "proposal withdraw, read": Page("ateliers:proposal_withdraw", on_proposal(S.DRAFT)),
    "proposal withdraw, missing": Page(
        "ateliers:proposal_withdraw", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    **{
        f"{status} proposal, comment": Page(
            "ateliers:proposal_comment",
            on_proposal(status),
            method="post",
            data={"body": "Une remarque sur la proposition."},
            done=proposal_page(status, "#comments"),
        )
        for status in S.values
    },
    "proposal comment, read": Page(
        "ateliers:proposal_comment", on_proposal(S.SUBMITTED)
    ),
    "proposal comment, missing": Page(
        "ateliers:proposal_comment", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    **{
        f"{status} proposal, history": Page(
            "ateliers:proposal_history", on_proposal(status)
        )
        for status in S.values
    },
    "proposal history, missing": Page(
        "ateliers:proposal_history", lambda w: {"pk": NO_SUCH_ID}
    ),
    # --- The commission: validation rounds ---
    "round list": Page("commission:round_list"),
    "round create": Page("commission:round_create"),
    "round create, save": Page(
        "commission:round_create",
        method="post",
        data=lambda w: {
            "title": "Commission CUCS, juin 2007",
            "axes": [Axis.objects.get(number=4).pk],
        },
        done=lambda w: ValidationRound.objects.latest("pk").get_absolute_url(),
    ),
    "round create, no axis": Page(
        "commission:round_create",
        method="post",
        data={"title": "Commission CUCS, juin 2007"},
    ),
    "open round": Page("commission:round_detail", round_kwargs("open")),
    "closed round": Page("commission:round_detail", round_kwargs("closed")),
    "round, missing": Page("commission:round_detail", lambda w: {"pk": NO_SUCH_ID}),
    "open round, position": Page(
        "commission:position_record",
        round_kwargs("open"),
        method="post",
        data=position_form(3),
        done=round_page("open", "#axis-3"),
        refused=round_page("open"),
    ),
    "open round, position changed": Page(
        "commission:position_record",
        round_kwargs("open"),
        method="post",
        data=position_form(2, "oppose", "Le calendrier n’est pas tenable."),
        done=round_page("open", "#axis-2"),
        refused=round_page("open"),
    ),
    "open round, opposed without a comment": Page(
        "commission:position_record",
        round_kwargs("open"),
        method="post",
        data=position_form(3, "oppose"),
    ),
    "open round, position on an axis not on the agenda": Page(
        "commission:position_record",
        round_kwargs("open"),
        method="post",
        data=position_form(4),
    ),
    "open round, position without a prefix": Page(
        "commission:position_record",
        round_kwargs("open"),
        method="post",
        data=position_form(3, prefix=""),
    ),
    "closed round, position": Page(
        "commission:position_record",
        round_kwargs("closed"),
        method="post",
        data=position_form(1, "oppose", "Trop tard."),
        done=round_page("closed"),
    ),
    "position, read": Page("commission:position_record", round_kwargs("open")),
    "position, missing round": Page(
        "commission:position_record",
        lambda w: {"pk": NO_SUCH_ID},
        method="post",
        data=position_form(3),
    ),
    "open round, close": Page(
        "commission:round_close",
        round_kwargs("open"),
        method="post",
        data=CONFIRMED,
        done=round_page("open"),
    ),
    "open round, close unconfirmed": Page(
        "commission:round_close", round_kwargs("open"), method="post"
    ),
    "closed round, close": Page(
        "commission:round_close",
        round_kwargs("closed"),
        method="post",
        data=CONFIRMED,
        done=round_page("closed"),
    ),
    "round close, read": Page("commission:round_close", round_kwargs("open")),
    "closed round, close page": Page(
        "commission:round_close", round_kwargs("closed"), done=round_page("closed")
    ),
    "round close, missing": Page(
        "commission:round_close", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    # --- The commission: its sessions ---
    "review queue": Page("commission:review_queue"),
    "commission sessions": Page("commission:session_list"),
    "session convene": Page("commission:session_create"),
    "session convene, save": Page(
        "commission:session_create",
        method="post",
        data=session_form(proposals=lambda w: [w.their_proposals[S.SUBMITTED].pk]),
        done=lambda w: CommissionSession.objects.latest("pk").get_absolute_url(),
    ),
    "session convene, nothing on the agenda": Page(
        "commission:session_create",
        method="post",
        data=session_form(proposals=[]),
    ),
    "session convene, a proposal on another session's agenda": Page(
        "commission:session_create", method="post", data=session_form()
    ),
    "convened session": Page(
        "commission:session_detail", commission_session("convened")
    ),
    "closed session": Page("commission:session_detail", commission_session("closed")),
    "session, missing": Page("commission:session_detail", lambda w: {"pk": NO_SUCH_ID}),
    "convened session, edit": Page(
        "commission:session_update", commission_session("convened")
    ),
    "convened session, save": Page(
        "commission:session_update",
        commission_session("convened"),
        method="post",
        data=session_form(),
        done=session_page("convened"),
    ),
    "convened session, save on an older version": Page(
        "commission:session_update",
        commission_session("convened"),
        method="post",
        data=session_form(base_version=lambda w: w.sessions["convened"].version + 1),
    ),
    "convened session, save without a place": Page(
        "commission:session_update",
        commission_session("convened"),
        method="post",
        data=session_form(place=" "),
    ),
    "closed session, edit": Page(
        "commission:session_update", commission_session("closed")
    ),
    "closed session, save": Page(
        "commission:session_update",
        commission_session("closed"),
        method="post",
        data=session_form(
            proposals=lambda w: [w.their_proposals[S.SUBMITTED].pk],
            base_version=lambda w: w.sessions["closed"].version,
        ),
    ),
    "session edit, missing": Page(
        "commission:session_update", lambda w: {"pk": NO_SUCH_ID}
    ),
    "convened session, position": Page(
        "commission:item_position",
        on_item("convened"),
        method="post",
        data=item_position("convened", "approve"),
        done=item_page("convened"),
    ),
    "convened session, position changed meanwhile": Page(
        "commission:item_position",
        on_item("convened"),
        method="post",
        data=item_position("convened", "oppose", "Hors du champ.", stale=True),
        done=item_page("convened"),
    ),
    "convened session, changes requested without a comment": Page(
        "commission:item_position",
        on_item("convened"),
        method="post",
        data=item_position("convened", "changes", "  "),
        done=item_page("convened"),
    ),
    "convened session, position on an item of another session": Page(
        "commission:item_position",
        on_item("convened", "closed"),
        method="post",
        data=item_position("convened", "approve", item_state="closed"),
    ),
    "closed session, position": Page(
        "commission:item_position",
        on_item("closed"),
        method="post",
        data=item_position("closed", "approve"),
        done=item_page("closed"),
    ),
    "item position, read": Page("commission:item_position", on_item("convened")),
    "item position, missing item": Page(
        "commission:item_position",
        lambda w: {"pk": w.sessions["convened"].pk, "item_pk": NO_SUCH_ID},
        method="post",
        data=item_position("convened", "approve"),
    ),
    "item position, missing session": Page(
        "commission:item_position",
        lambda w: {"pk": NO_SUCH_ID, "item_pk": agenda_item(w, "convened").pk},
        method="post",
        data=item_position("convened", "approve"),
    ),
    "convened session, minutes": Page("commission:item_minutes", on_item("convened")),
    "convened session, minutes, save": Page(
        "commission:item_minutes",
        on_item("convened"),
        method="post",
        data=minutes_form(),
        done=item_page("convened"),
    ),
    "convened session, minutes, more votes than members": Page(
        "commission:item_minutes",
        on_item("convened"),
        method="post",
        data=minutes_form(approve=2, abstain=1),
    ),
    "convened session, minutes, a count missing": Page(
        "commission:item_minutes",
        on_item("convened"),
        method="post",
        data=minutes_form(approve=""),
    ),
    "convened session, minutes of an item of another session": Page(
        "commission:item_minutes", on_item("convened", "closed")
    ),
    "closed session, minutes": Page("commission:item_minutes", on_item("closed")),
    "closed session, minutes, save": Page(
        "commission:item_minutes",
        on_item("closed"),
        method="post",
        data=minutes_form(),
    ),
    "item minutes, missing": Page(
        "commission:item_minutes",
        lambda w: {"pk": w.sessions["convened"].pk, "item_pk": NO_SUCH_ID},
    ),
    "convened session, close page": Page(
        "commission:session_close", commission_session("convened")
    ),
    "convened session, close": Page(
        "commission:session_close",
        commission_session("convened"),
        method="post",
        data=CONFIRMED,
        done=session_page("convened"),
    ),
    "convened session, close unconfirmed": Page(
        "commission:session_close", commission_session("convened"), method="post"
    ),
    "closed session, close page": Page(
        "commission:session_close",
        commission_session("closed"),
        done=session_page("closed"),
    ),
    "closed session, close": Page(
        "commission:session_close",
        commission_session("closed"),
        method="post",
        data=CONFIRMED,
        done=session_page("closed"),
    ),
    "session close, missing": Page(
        "commission:session_close", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    # --- The audit log ---
    "audit log": Page("audit:log"),
    "audit log, dates reversed": Page(
        "audit:log", data={"since": "2007-03-01", "until": "2007-01-01"}
    ),
    "audit export": Page("audit:export"),
    "audit export, filtered": Page("audit:export", data={"action": "validate"}),
    "audit export xlsx": Page("audit:export_xlsx"),
    "audit export ods, filtered": Page("audit:export_ods", data={"action": "validate"}),
    # --- The référentiel ---
    "edition list": Page("referentiel:list"),
    "edition create": Page("referentiel:create"),
    "edition create, save": Page(
        "referentiel:create",
        method="post",
        data={"title": "Référentiel de septembre", "event_date": "2007-09-20"},
        done=latest_edition,
    ),
    "edition create, no title": Page(
        "referentiel:create", method="post", data={"title": "  "}
    ),
    "edition compare": Page("referentiel:compare", data=compared("published", "draft")),
    "edition compare, same edition twice": Page(
        "referentiel:compare", data=compared("published", "published")
    ),
    "draft edition": Page("referentiel:detail", edition("draft")),
    "published edition": Page("referentiel:detail", edition("published")),
    "edition, missing": Page("referentiel:detail", lambda w: {"pk": NO_SUCH_ID}),
    "draft edition, edit": Page("referentiel:update", edition("draft")),
    "draft edition, save": Page(
        "referentiel:update",
        edition("draft"),
        method="post",
        data=edition_form(),
        done=edition_page("draft"),
    ),
    "draft edition, save with a malformed date": Page(
        "referentiel:update",
        edition("draft"),
        method="post",
        data=edition_form(event_date="2007-13-45"),
    ),
    "published edition, edit": Page("referentiel:update", edition("published")),
    "published edition, save": Page(
        "referentiel:update",
        edition("published"),
        method="post",
        data=edition_form(),
        done=edition_page("published"),
    ),
    "draft edition, preview": Page("referentiel:preview", edition("draft")),
    "published edition, preview": Page("referentiel:preview", edition("published")),
    "draft edition, leave out": Page(
        "referentiel:entry",
        on_entry("draft"),
        method="post",
        data={"action": "exclude"},
        done=entry_anchor("draft"),
    ),
    "draft edition, leave out a draft proposal": Page(
        "referentiel:entry",
        on_entry("draft", S.DRAFT),
        method="post",
        data={"action": "exclude"},
    ),
    "draft edition, unknown action": Page(
        "referentiel:entry",
        on_entry("draft"),
        method="post",
        data={"action": "jump"},
        done=edition_page("draft"),
    ),
    "published edition, leave out": Page(
        "referentiel:entry",
        on_entry("published"),
        method="post",
        data={"action": "exclude"},
        done=entry_anchor("published"),
    ),
    "edition entry, read": Page("referentiel:entry", on_entry("draft")),
    "draft edition, publish page": Page("referentiel:publish", edition("draft")),
    "draft edition, publish": Page(
        "referentiel:publish",
        edition("draft"),
        method="post",
        data=CONFIRMED,
        done=edition_page("draft"),
    ),
    "draft edition, publish unconfirmed": Page(
        "referentiel:publish", edition("draft"), method="post"
    ),
    "published edition, publish page": Page(
        "referentiel:publish", edition("published"), done=edition_page("published")
    ),
    "published edition, publish": Page(
        "referentiel:publish",
        edition("published"),
        method="post",
        data=CONFIRMED,
        done=edition_page("published"),
    ),
    "edition, start from": Page(
        "referentiel:start_from",
        edition("published"),
        method="post",
        done=latest_edition,
    ),
    "edition start from, read": Page("referentiel:start_from", edition("published")),
    "draft edition, export": Page(
        "referentiel:export",
        edition("draft"),
        method="post",
        done=edition_page("draft", "#pdf"),
    ),
    "published edition, export": Page(
        "referentiel:export",
        edition("published"),
        method="post",
        done=edition_page("published", "#pdf"),
    ),
    "edition export, read": Page("referentiel:export", edition("draft")),
    "draft edition, pdf status": Page("referentiel:pdf_status", edition("draft")),
    "published edition, pdf status": Page(
        "referentiel:pdf_status", edition("published")
    ),
    "draft edition, pdf": Page("referentiel:pdf", edition("draft")),
    "published edition, pdf": Page("referentiel:pdf", edition("published")),
    "draft edition, frozen content": Page("referentiel:content", edition("draft")),
    "published edition, frozen content": Page(
        "referentiel:content", edition("published")
    ),
    "share link create": Page(
        "referentiel:share_create",
        edition("published"),
        method="post",
        data={"label": "Préfecture de la Loire", "expires_on": "2099-12-31"},
        done=edition_page("published", "#share-links"),
    ),
    "share link create, no label": Page(
        "referentiel:share_create",
        edition("published"),
        method="post",
        data={"label": " "},
    ),
    "share link create, to a draft": Page(
        "referentiel:share_create",
        edition("draft"),
        method="post",
        data={"label": "Préfecture de la Loire"},
        done=edition_page("draft"),
    ),
    "share link create, read": Page("referentiel:share_create", edition("published")),
    "share link revoke": Page(
        "referentiel:share_revoke",
        share_link("active"),
        method="post",
        done=edition_page("published", "#share-links"),
    ),
    "share link revoke, already revoked": Page(
        "referentiel:share_revoke",
        share_link("revoked"),
        method="post",
        done=edition_page("published", "#share-links"),
    ),
    "share link revoke, read": Page("referentiel:share_revoke", share_link("active")),
    "share link revoke, missing": Page(
        "referentiel:share_revoke", lambda w: {"pk": NO_SUCH_ID}, "post"
    ),
    "shared page": Page("share:page", share_token("active")),
    "shared page, altered token": Page("share:page", share_token("active", True)),
    "shared page, revoked link": Page("share:page", share_token("revoked")),
    "shared page, expired link": Page("share:page", share_token("expired")),
    "shared pdf": Page("share:pdf", share_token("active")),
    "shared pdf, altered token": Page("share:pdf", share_token("active", True)),
    "shared pdf, revoked link": Page("share:pdf", share_token("revoked")),
    "shared pdf, expired link": Page("share:pdf", share_token("expired")),
}


# fmt: off
# anonymous, member, other_member, landlord_referent, public_coanimator,
# other_coanimator, commission, secretariat, partner, plain, superuser
EDITABLE = (L,  Y,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y)
FROZEN = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y)
SAVES = (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R)
REFUSED = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E)
NOT_EDITABLE = (L,  C,  D,  C,  C,  D,  D,  D,  D,  D,  C)
# An id that does not exist: asked once, as the superuser (see tests/matrix.py).
MISSING = Missing()
# Another atelier's object through ours: a 404 too, asked of every role.
ELSEWHERE = (L,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M)
# Read and comment: the atelier, the commission (what went to it), the secretariat.
DISCUSS_DRAFT = (L,  R,  D,  R,  R,  D,  D,  R,  D,  D,  R)
DISCUSS = (L,  R,  D,  R,  R,  D,  R,  R,  D,  D,  R)
HISTORY_DRAFT = (L,  Y,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y)
HISTORY = (L,  Y,  D,  Y,  Y,  D,  Y,  Y,  D,  D,  Y)
SECRETARIAT = (L,  D,  D,  D,  D,  D,  D,  Y,  D,  D,  Y)
# The round page again, the error next to the field, nothing saved.
BAD_POSITION = (L,  D,  D,  D,  D,  D,  400, D,  D,  D,  400)
# The working group's shared trace: everyone signed in but partners.
SESSIONS = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y)
SECRETARIAT_SAVES = (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R)
# The form again, the error shown, what was typed kept, nothing saved.
SECRETARIAT_BAD = (L,  D,  D,  D,  D,  D,  D, 400, D,  D, 400)
# Settled once closed: refused by the rules to the secretariat; a superuser
# passes them and gets the page.
CLOSED_PAGE = (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y)
# A delegate's position. A superuser passes the permission but is the delegate
# of no member organisation: the service refuses, and the agenda comes back
# (409), without a position form (so without the reason); nothing saved.
POSITION_REFUSED = (L,  D,  D,  D,  D,  D,  C,  D,  D,  D,  E)
# Another session's item under this session's address: not found there.
OTHER_ITEM = (L,  D,  D,  D,  D,  D,  M,  D,  D,  D,  M)
# A draft edition: the working group, not a partner who is only a partner.
READ_DRAFT = (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y)
EXPECTED = {
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "dashboard":                    (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "axis":                         (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "axis, missing":                MISSING,
    "atelier list":                 (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "atelier":                      (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "atelier, missing":             MISSING,
    "draft proposal":               (L,  Y,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "submitted proposal":           (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "changes_requested proposal":   (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "validated proposal":           (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y),
    "rejected proposal":            (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  D,  Y),
    "withdrawn proposal":           (L,  Y,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "proposal, missing":            MISSING,
    "login":                        (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "logout":                       (O,  O,  O,  O,  O,  O,  O,  O,  O,  O,  O),
    "password change":              (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password changed":             (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset":               (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset sent":          (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset, invalid link": (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "password reset done":          (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "language":                     (H,  H,  H,  H,  H,  H,  H,  H,  H,  H,  H),
    "admin":                        (A,  A,  A,  A,  A,  A,  A,  A,  A,  A,  Y),
    "health":                       (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "health, post":                 (N,  N,  N,  N,  N,  N,  N,  N,  N,  N,  N),
    # Running an atelier: its two co-animators and the secretariat.
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "members":                      (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "members, add":                 (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "members, missing atelier":     MISSING,
    "member remove":                (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "member remove, read":          (L,  D,  D,  N,  N,  D,  D,  N,  D,  D,  N),
    "member remove, a co-animator": (L,  D,  D,  E,  E,  D,  D,  E,  D,  D,  E),
    "member remove, of another atelier": ELSEWHERE,
    "member remove, missing":       MISSING,
    "session create":               (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "session create, save":         (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "session create, missing atelier": MISSING,
    "session update":               (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "session update, save":         (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "session update, of another atelier": ELSEWHERE,
    "session update, missing":      MISSING,
    "session record":               (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "session record, save":         (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "session record, missing":      MISSING,
    "enjeux":                       (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "enjeux, add":                  (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "enjeux, missing atelier":      MISSING,
    "enjeu update":                 (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "enjeu update, save":           (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "enjeu update, of another axis": ELSEWHERE,
    "enjeu update, missing":        MISSING,
    "enjeu up":                     (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "enjeu up, read":               (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "enjeu up, unconfirmed":        (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    "enjeu up, missing":            MISSING,
    "enjeu down":                   (L,  D,  D,  R,  R,  D,  D,  R,  D,  D,  R),
    "enjeu down, read":             (L,  D,  D,  Y,  Y,  D,  D,  Y,  D,  D,  Y),
    # Proposals. Secretariat and commission read and comment; they do not write.
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "proposal list":                (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "proposal create":              (L,  Y,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y),
    "proposal create, save":        (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R),
    "proposal create, in another atelier":
                                    (L,  D,  Y,  D,  D,  Y,  D,  D,  D,  D,  Y),
    "proposal create, missing atelier": MISSING,
    "draft proposal, edit":         EDITABLE,
    "submitted proposal, edit":     FROZEN,
    "changes_requested proposal, edit": EDITABLE,
    "validated proposal, edit":     FROZEN,
    "rejected proposal, edit":      FROZEN,
    "withdrawn proposal, edit":     FROZEN,
    "draft proposal, save":         SAVES,
    "submitted proposal, save":     NOT_EDITABLE,
    "changes_requested proposal, save": SAVES,
    "validated proposal, save":     NOT_EDITABLE,
    "rejected proposal, save":      NOT_EDITABLE,
    "withdrawn proposal, save":     NOT_EDITABLE,
    "proposal edit, missing":       MISSING,
    # Submitting: the co-animators only.
    "draft proposal, submit":       (L,  D,  D,  R,  R,  D,  D,  D,  D,  D,  R),
    # Submitted (or decided) meanwhile: whoever reads it is sent to it and
    # told why nothing was done.
    "submitted proposal, submit":   (L,  W,  W,  W,  W,  W,  W,  W,  D,  D,  W),
    "changes_requested proposal, submit":
                                    (L,  D,  D,  R,  R,  D,  D,  D,  D,  D,  R),
    "validated proposal, submit":   (L,  W,  W,  W,  W,  W,  W,  W,  W,  D,  W),
    "rejected proposal, submit":    (L,  W,  W,  W,  W,  W,  W,  W,  D,  D,  W),
    "withdrawn proposal, submit":   (L,  W,  D,  W,  W,  D,  D,  W,  D,  D,  W),
    # Asks first: the confirmation page, from its button or its address.
    "draft proposal, submit unconfirmed":
                                    (L,  D,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y),
    "proposal submit, read":        (L,  D,  D,  Y,  Y,  D,  D,  D,  D,  D,  Y),
    "submitted proposal, submit page":
                                    (L,  W,  W,  W,  W,  W,  W,  W,  D,  D,  W),
    "proposal submit, missing":     MISSING,
    # Withdrawing a draft: its authors (member, landlord referent), co-animators.
    "draft proposal, withdraw":     (L,  R,  D,  R,  R,  D,  D,  D,  D,  D,  R),
    "submitted proposal, withdraw": REFUSED,
    "changes_requested proposal, withdraw": REFUSED,
    "validated proposal, withdraw": REFUSED,
    "rejected proposal, withdraw":  REFUSED,
    "withdrawn proposal, withdraw": REFUSED,
    "proposal withdraw, read":      (L,  N,  D,  N,  N,  D,  D,  D,  D,  D,  N),
    "proposal withdraw, missing":   MISSING,
    "draft proposal, comment":      DISCUSS_DRAFT,
    "submitted proposal, comment":  DISCUSS,
    "changes_requested proposal, comment": DISCUSS,
    "validated proposal, comment":  DISCUSS,
    "rejected proposal, comment":   DISCUSS,
    "withdrawn proposal, comment":  DISCUSS_DRAFT,
    "proposal comment, read":       (L,  N,  D,  N,  N,  D,  N,  N,  D,  D,  N),
    "proposal comment, missing":    MISSING,
    "draft proposal, history":      HISTORY_DRAFT,
    "submitted proposal, history":  HISTORY,
    "changes_requested proposal, history": HISTORY,
    "validated proposal, history":  HISTORY,
    "rejected proposal, history":   HISTORY,
    "withdrawn proposal, history":  HISTORY_DRAFT,
    "proposal history, missing":    MISSING,
    # The commission's rounds: read by everyone signed in; opened and closed by
    # the secretariat; positions recorded by the delegates of member
    # organisations while the round is open. A superuser passes every
    # permission: the services refuse what makes no sense for them.
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "round list":                   (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y),
    "round create":                 SECRETARIAT,
    "round create, save":           (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "round create, no axis":        SECRETARIAT,
    "open round":                   (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y),
    "closed round":                 (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  D,  Y,  Y),
    "round, missing":               MISSING,
    "open round, position":         (L,  D,  D,  D,  D,  D,  R,  D,  D,  D,  E),
    "open round, position changed": (L,  D,  D,  D,  D,  D,  R,  D,  D,  D,  E),
    "open round, opposed without a comment": BAD_POSITION,
    "open round, position on an axis not on the agenda":
                                    (L,  D,  D,  D,  D,  D,  M,  D,  D,  D,  M),
    "open round, position without a prefix":
                                    (L,  D,  D,  D,  D,  D,  M,  D,  D,  D,  M),
    "closed round, position":       (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "position, read":               (L,  D,  D,  D,  D,  D,  N,  D,  D,  D,  N),
    "position, missing round":      MISSING,
    "open round, close":            (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "open round, close unconfirmed": SECRETARIAT,
    # Closed meanwhile: whoever reads the round is sent to it with the reason.
    "closed round, close":          (L,  W,  W,  W,  W,  W,  W,  W,  D,  W,  W),
    "round close, read":            SECRETARIAT,
    "closed round, close page":     (L,  W,  W,  W,  W,  W,  W,  W,  D,  W,  W),
    "round close, missing":         MISSING,
    # The commission's sessions: read by everyone signed in but partners (as
    # the rounds); convened, changed, their minutes recorded and closed by the
    # secretariat while convened; positions recorded by the delegates of
    # member organisations while convened. The review queue: the delegates
    # and the secretariat.
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "review queue":                 (L,  D,  D,  D,  D,  D,  Y,  Y,  D,  D,  Y),
    "commission sessions":                 SESSIONS,
    "session convene":               SECRETARIAT,
    "session convene, save":         SECRETARIAT_SAVES,
    "session convene, nothing on the agenda": SECRETARIAT_BAD,
    # Not offered: the form refuses a choice it does not list.
    "session convene, a proposal on another session's agenda": SECRETARIAT_BAD,
    "convened session":             SESSIONS,
    "closed session":               SESSIONS,
    "session, missing":             MISSING,
    "convened session, edit":       SECRETARIAT,
    "convened session, save":       SECRETARIAT_SAVES,
    # Someone saved the session in between: the form again, nothing saved.
    "convened session, save on an older version":
                                    (L,  D,  D,  D,  D,  D,  D,  C,  D,  D,  C),
    "convened session, save without a place": SECRETARIAT_BAD,
    "closed session, edit":         CLOSED_PAGE,
    # A superuser's save is refused by the service: the form again (409).
    "closed session, save":         (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  C),
    "session edit, missing":        MISSING,
    # A superuser holds the permission but is no organisation's delegate: back
    # to the agenda with an error, nothing saved.
    "convened session, position":   (L,  D,  D,  D,  D,  D,  R,  D,  D,  D,  E),
    # A colleague saved the organisation's position since the page was shown:
    # the agenda again with theirs and the choice not saved (409).
    "convened session, position changed meanwhile": POSITION_REFUSED,
    "convened session, changes requested without a comment":
                                    (L,  D,  D,  D,  D,  D, 400, D,  D,  D,  E),
    "convened session, position on an item of another session": OTHER_ITEM,
    # Closed: the rules refuse the delegate; the view the superuser.
    "closed session, position":     (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "item position, read":          (L,  D,  D,  D,  D,  D,  N,  D,  D,  D,  N),
    "item position, missing item":  MISSING,
    # The session is looked up before any permission: 404 whoever asks.
    "item position, missing session": ELSEWHERE,
    # The minutes: the secretariat alone (a delegate is refused, 403).
    "convened session, minutes":    SECRETARIAT,
    "convened session, minutes, save": SECRETARIAT_SAVES,
    "convened session, minutes, more votes than members": SECRETARIAT_BAD,
    "convened session, minutes, a count missing": SECRETARIAT_BAD,
    # The item is looked up with the session, before the permission.
    "convened session, minutes of an item of another session": ELSEWHERE,
    "closed session, minutes":      CLOSED_PAGE,
    # A superuser's save is refused by the service: the form again (400).
    "closed session, minutes, save": (L,  D,  D,  D,  D,  D,  D,  D,  D,  D, 400),
    "item minutes, missing":        MISSING,
    # Closing: the secretariat (a delegate is refused, 403), after the summary.
    "convened session, close page": SECRETARIAT,
    "convened session, close":      SECRETARIAT_SAVES,
    "convened session, close unconfirmed": SECRETARIAT,
    # Closed meanwhile: whoever reads the session is sent to it with the reason.
    "closed session, close page":   (L,  W,  W,  W,  W,  W,  W,  W,  D,  W,  W),
    "closed session, close":        (L,  W,  W,  W,  W,  W,  W,  W,  D,  W,  W),
    "session close, missing":       MISSING,
    # The audit log: the secretariat.
    "audit log":                    SECRETARIAT,
    "audit log, dates reversed":    SECRETARIAT,
    "audit export":                 SECRETARIAT,
    "audit export, filtered":       SECRETARIAT,
    "audit export xlsx":            SECRETARIAT,
    "audit export ods, filtered":   SECRETARIAT,
    # The référentiel: signed-in people read the list and published editions;
    # the working group (all but partners who are only partners) reads drafts
    # too; the secretariat alone writes, publishes, exports and shares. A
    # superuser passes every permission: the services refuse what makes no
    # sense (changing a published edition, sharing a draft).
    #                                an  me  ot  re  pu  oc  co  se  pa  pl  su
    "edition list":                 (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "edition create":               SECRETARIAT,
    "edition create, save":         (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "edition create, no title":     SECRETARIAT,
    # A partner comparing with a draft gets the form's error: still a page.
    "edition compare":              (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "edition compare, same edition twice":
                                    (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "draft edition":                READ_DRAFT,
    "published edition":            (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "edition, missing":             MISSING,
    "draft edition, edit":          SECRETARIAT,
    "draft edition, save":          (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "draft edition, save with a malformed date": SECRETARIAT,
    "published edition, edit":      (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  Y),
    "published edition, save":      (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "draft edition, preview":       READ_DRAFT,
    "published edition, preview":   (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "draft edition, leave out":     (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "draft edition, leave out a draft proposal":
                                    (L,  D,  D,  D,  D,  D,  D,  M,  D,  D,  M),
    "draft edition, unknown action": (L,  D,  D,  D,  D,  D,  D,  E,  D,  D,  E),
    "published edition, leave out": (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "edition entry, read":          (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "draft edition, publish page":  SECRETARIAT,
    "draft edition, publish":       (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "draft edition, publish unconfirmed": SECRETARIAT,
    # Published already: whoever asks is told so and sent to it.
    "published edition, publish page":
                                    (L,  W,  W,  W,  W,  W,  W,  W,  W,  W,  W),
    "published edition, publish":   (L,  W,  W,  W,  W,  W,  W,  W,  W,  W,  W),
    "edition, start from":          (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "edition start from, read":     (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "draft edition, export":        (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "published edition, export":    (L,  D,  D,  D,  D,  D,  D,  K,  D,  D,  K),
    "edition export, read":         (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "draft edition, pdf status":    READ_DRAFT,
    "published edition, pdf status": (L,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    # No PDF made of the draft: nothing to download.
    "draft edition, pdf":           (L,  M,  M,  M,  M,  M,  M,  M,  D,  M,  M),
    "published edition, pdf":       (L,  P,  P,  P,  P,  P,  P,  P,  P,  P,  P),
    # A draft has no frozen content: nothing to check a PDF against.
    "draft edition, frozen content": (L,  M,  M,  M,  M,  M,  M,  M,  D,  M,  M),
    "published edition, frozen content": (L, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y),
    "share link create":            (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "share link create, no label":  (L,  D,  D,  D,  D,  D,  D, 400, D,  D, 400),
    "share link create, to a draft": (L,  D,  D,  D,  D,  D,  D,  D,  D,  D,  E),
    "share link create, read":      (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "share link revoke":            (L,  D,  D,  D,  D,  D,  D,  R,  D,  D,  R),
    "share link revoke, already revoked":
                                    (L,  D,  D,  D,  D,  D,  D,  K,  D,  D,  K),
    "share link revoke, read":      (L,  D,  D,  D,  D,  D,  D,  N,  D,  D,  N),
    "share link revoke, missing":   MISSING,
    # Share links: anyone holding one, signed in or not.
    "shared page":                  (Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y,  Y),
    "shared page, altered token":   (M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M),
    "shared page, revoked link":    (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
    "shared page, expired link":    (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
    "shared pdf":                   (P,  P,  P,  P,  P,  P,  P,  P,  P,  P,  P),
    "shared pdf, altered token":    (M,  M,  M,  M,  M,  M,  M,  M,  M,  M,  M),
    "shared pdf, revoked link":     (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
    "shared pdf, expired link":     (G,  G,  G,  G,  G,  G,  G,  G,  G,  G,  G),
}
# fmt: on

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    """The shared world, plus the référentiel: a draft edition, a published one
    whose PDF the real task renders (once for this module), and three share
    links to it (active, revoked, expired)."""
    secretariat = world.people["secretariat"]
    with django_db_blocker.unblock():
        draft = referentiel_services.edition_create(
            user=secretariat, data={"title": "Référentiel, édition en préparation"}
        )
        published = referentiel_services.edition_publish(
            user=secretariat,
            edition=referentiel_services.edition_create(
                user=secretariat,
                data={
                    "title": "Référentiel, édition du séminaire",
                    "event_date": datetime.date(2007, 5, 10),
                },
            ),
        )
        assert render_rendition.call(published.rendition_id) == "done"
        published.refresh_from_db()

        def link(label, **kwargs):
            return referentiel_services.share_link_create(
                user=secretariat, edition=published, label=label, **kwargs
            )

        world.editions = {"draft": draft, "published": published}
        world.share_links = {
            "active": link("Préfecture de la Loire"),
            "revoked": referentiel_services.share_link_revoke(
                user=secretariat, link=link("Ancien partenaire")
            ),
            "expired": link(
                "Séminaire", expires_at=timezone.now() - datetime.timedelta(days=1)
            ),
        }
    return world


def test_every_url_has_a_row_in_the_matrix():
    """A new page gets its row of expectations before it ships, in this
    module's matrix or in its app's (``tests.matrix.MATRIX_MODULES``). The admin
    is Django's and guarded by is_staff; its index stands for it."""
    covered = {
        page.url_name for pages in all_pages().values() for page in pages.values()
    }
    names = {name for name in url_names() if not name.startswith("admin:")}

    assert names - covered == set()
    assert covered - names - {"admin:index"} == set()


@pytest.mark.parametrize("module", MATRIX_MODULES)
def test_every_page_has_one_outcome_per_role(module):
    """Each matrix is complete: each page, each role (a missing id once, on a
    URL whose other rows give every role's outcome)."""
    matrix = importlib.import_module(module)
    assert_rows_complete(matrix.PAGES, matrix.EXPECTED)


def database_state():
    """What the pages of the matrix can change, in a comparable form."""
    return (
        list(
            Proposal.objects.order_by("pk").values_list(
                "pk", "status", "version", "title", "number", "atelier_id"
            )
        ),
        list(AtelierMembership.objects.order_by("pk").values_list("pk", "role")),
        list(
            Session.objects.order_by("pk").values_list(
                "pk", "starts_at", "place", "minutes"
            )
        ),
        list(Enjeu.objects.order_by("pk").values_list("pk", "position", "title")),
        ProposalRevision.objects.count(),
        ProposalComment.objects.count(),
        list(Axis.objects.order_by("pk").values_list("pk", "status")),
        list(ValidationRound.objects.order_by("pk").values_list("pk", "status")),
        list(
            AxisPosition.objects.order_by("pk").values_list("pk", "position", "comment")
        ),
        AxisDecision.objects.count(),
        list(
            CommissionSession.objects.order_by("pk").values_list(
                "pk", "status", "version", "starts_at", "place"
            )
        ),
        list(
            AgendaItem.objects.order_by("pk").values_list(
                "pk",
                "session_id",
                "proposal_id",
                "axis_id",
                "minutes_recorded",
                "minutes_approve",
                "minutes_abstain",
                "minutes_comments",
                "outcome",
            )
        ),
        list(
            ItemPosition.objects.order_by("pk").values_list(
                "pk", "position", "comment", "version"
            )
        ),
        AuditEvent.objects.count(),
        list(
            Edition.objects.order_by("pk").values_list(
                "pk",
                "status",
                "version",
                "title",
                "place",
                "event_date",
                "introduction",
                "rendition_id",
            )
        ),
        list(
            EditionEntry.objects.order_by("pk").values_list(
                "edition_id", "proposal_id", "included", "position"
            )
        ),
        list(Rendition.objects.order_by("pk").values_list("pk", "status", "attempts")),
        list(
            ShareLink.objects.order_by("pk").values_list(
                "pk", "label", "expires_at", "revoked_at"
            )
        ),
        DBTaskResult.objects.count(),
    )


def download_counts():
    """What a download changes, apart from the state above: the downloads
    counted for signed-in people and through share links."""
    return (
        sum(Edition.objects.values_list("download_count", flat=True)),
        sum(ShareLink.objects.values_list("download_count", flat=True)),
    )


@pytest.mark.parametrize(("page", "role", "expected"), access_cases(EXPECTED))
def test_page_access(client, world, page, role, expected):
    """Signed-out visitors are sent to the login page, with the page to come
    back to; signed-in people get the page, or 403 for what they may not see or
    do, or 404 for an id that does not exist (or belongs to another atelier), or
    405 for a GET on an action that only accepts POST. A POST that is allowed
    saves and redirects; a POST the service refuses redirects with an error and
    saves nothing; a person asked to do what was done meanwhile (publish a
    published edition) is sent to it with a note; any other request changes
    nothing. A PDF is downloaded whole and counted; a POST asking for what
    exists already (a PDF of this content, a revoked link) changes nothing."""
    before, counted_before = database_state(), download_counts()

    url, response = request(client, world, role, PAGES[page])

    if isinstance(expected, Downloaded):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)  # read to the end: closed
        rendition = world.editions["published"].rendition
        assert hashlib.sha256(data).hexdigest() == rendition.sha256
        assert response["X-Content-SHA256"] == rendition.sha256
        assert database_state() == before
        signed_in, shared = counted_before
        assert download_counts() in {(signed_in + 1, shared), (signed_in, shared + 1)}
        return
    assert download_counts() == counted_before
    assert_outcome(response, url, world, PAGES[page], expected, database_state, before)


@pytest.mark.parametrize("role", ["other_member", "commission", "partner", "plain"])
def test_a_refused_proposal_page_reveals_nothing_of_it(client, world, role):
    """The 403 page for a draft does not show its title or summary."""
    draft = world.proposals[S.DRAFT]
    client.force_login(world.people[role])

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 403
    assert draft.title not in response.content.decode()


PAGES_WITH_PROPOSALS = {
    "dashboard": lambda w: reverse("dashboard"),
    "axis": lambda w: w.ours.axis.get_absolute_url(),
    "atelier": lambda w: w.ours.get_absolute_url(),
    "atelier list": lambda w: reverse("ateliers:list"),
}


@pytest.mark.parametrize("page", PAGES_WITH_PROPOSALS)
def test_partners_never_see_a_draft_title(client, world, page):
    """A draft is invisible to partners, wherever proposals are listed."""
    client.force_login(world.people["partner"])

    html = client.get(PAGES_WITH_PROPOSALS[page](world)).content.decode()

    for status in set(S.values) - {S.VALIDATED}:
        assert world.proposals[status].title not in html, status
        assert world.their_proposals[status].title not in html, status


@pytest.mark.parametrize("page", ["axis", "atelier"])
def test_partners_see_validated_titles(client, world, page):
    """The validated proposals are listed for partners."""
    client.force_login(world.people["partner"])

    html = client.get(PAGES_WITH_PROPOSALS[page](world)).content.decode()

    assert world.proposals[S.VALIDATED].title in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("partner", {S.VALIDATED: 2}),
        ("plain", {}),
        # Everything of their atelier; what went to the commission of the other
        # (with the proposal its closed session sent back).
        (
            "member",
            {
                S.DRAFT: 1,
                S.SUBMITTED: 2,
                S.CHANGES_REQUESTED: 3,
                S.VALIDATED: 2,
                S.REJECTED: 2,
                S.WITHDRAWN: 1,
            },
        ),
    ],
)
def test_the_dashboard_counts_only_readable_proposals(client, world, role, expected):
    """The counts per status on the dashboard are over what the person may read:
    a partner counts validated proposals only."""
    client.force_login(world.people[role])

    response = client.get(reverse("dashboard"))

    totals = {status: n for status, _label, n in response.context["status_totals"] if n}
    assert totals == expected


def test_the_atelier_page_lists_its_drafts_to_its_members(client, world):
    """A member reads the drafts of their own atelier in its list."""
    client.force_login(world.people["member"])

    response = client.get(world.ours.get_absolute_url())

    assert world.proposals[S.DRAFT] in response.context["proposals"]
    assert world.proposals[S.DRAFT].title in response.content.decode()


def test_pages_are_in_french(client, world):
    """The portal speaks French, even to a browser that asks for English."""
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    html = response.content.decode()
    assert response.context["LANGUAGE_CODE"] == "fr"
    assert 'lang="fr"' in html
    assert "Mot de passe" in html


def test_signed_in_pages_are_in_french(client, world):
    """Signed-in pages are French too."""
    client.force_login(world.people["member"])

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-GB,en")

    assert 'lang="fr"' in response.content.decode()
    assert response["Content-Language"] == "fr"


def test_the_language_switcher_is_an_explicit_choice(client, world):
    """Choosing English with the switcher gives English pages."""
    client.post(reverse("set_language"), {"language": "en"})

    response = client.get(reverse("login"))

    assert 'lang="en"' in response.content.decode()


def test_after_login_one_lands_on_the_page_asked_for(client, world):
    """The login form sends the person back to ``next``."""
    url = world.ours.get_absolute_url()

    response = client.post(
        reverse("login"),
        {"username": "membre", "password": "mot-de-passe-de-test", "next": url},
    )

    assert (response.status_code, response.url) == (302, url)


@pytest.mark.parametrize(("page", "role"), csrf_cases(PAGES, EXPECTED))
def test_every_post_that_saves_needs_its_csrf_token(world, page, role):
    """Each URL of the matrix whose POST saves something, sent by a role it
    saves for without the form's CSRF token (as a forged page elsewhere would),
    is refused with 403 and saves nothing."""
    assert_csrf_refused(world, PAGES[page], role, database_state)
