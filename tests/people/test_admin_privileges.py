"""In the admin, nobody acts on an account that holds more privileges than their
own, nor raises anyone above their own (see ``people.rules.Privileges``).

The matrix: three actors who reach the people admin (a superuser; the
secretariat, staff with the secretariat flag; staff without it, the same
group's permissions otherwise) against five targets (a superuser, another
secretariat account, another staff account, an ordinary account, oneself) and
every view of the user admin that writes: the change form (read and saved),
the password form, the delete page, the bulk "delete selected" action, an
attempt to raise the target through the change form, and the add form. A
refused cell also checks that nothing changed in the database.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from people.models import User
from people.rules import Privileges, privileges_of
from tests import factories as f

pytestmark = pytest.mark.django_db

ACTORS = ["superuser", "secretariat", "staff"]
TARGETS = ["superuser", "secretariat", "staff", "ordinary", "self"]
NEW_PASSWORD = "Un-nouveau-mot-de-passe-2024"

# Who may act on whom: the target holds no privilege the actor lacks.
MAY_ACT = {
    "superuser": {"superuser", "secretariat", "staff", "ordinary", "self"},
    "secretariat": {"secretariat", "staff", "ordinary", "self"},
    "staff": {"staff", "ordinary", "self"},
}
CELLS = [
    pytest.param(actor, target, target in MAY_ACT[actor], id=f"{actor}-on-{target}")
    for actor in ACTORS
    for target in TARGETS
]


@pytest.fixture
def accounts(db):
    """The secretariat's group holds the people app's permissions, as the demo
    seeds it; the staff account is in it too, without the secretariat flag."""
    group = Group.objects.create(name="Secrétariat AMO2SM")
    group.permissions.set(Permission.objects.filter(content_type__app_label="people"))

    def staff(username, **traits):
        user = f.UserFactory(username=username, is_staff=True, **traits)
        user.groups.add(group)
        return user

    return {
        "actor-superuser": f.UserFactory(username="actor-superuser", superuser=True),
        "actor-secretariat": staff("actor-secretariat", secretariat=True),
        "actor-staff": staff("actor-staff"),
        "superuser": f.UserFactory(username="admin", superuser=True),
        "secretariat": staff("secretariat-autre", secretariat=True),
        "staff": staff("staff-autre"),
        "ordinary": f.UserFactory(username="ordinaire"),
    }


def signed_in(client, accounts, actor, target):
    """The client signed in as ``actor``, and the target account."""
    actor_user = accounts[f"actor-{actor}"]
    client.force_login(actor_user)
    return actor_user if target == "self" else accounts[target]


def url(view, *args):
    return reverse(f"admin:people_user_{view}", args=args)


def password_url(user):
    # Django names the password view after auth.User, whatever the user model.
    return reverse("admin:auth_user_password_change", args=[user.pk])


def snapshot(user):
    """What an account is in the database, or None once it is deleted."""
    row = (
        User.objects.filter(pk=user.pk)
        .values(
            "username",
            "email",
            "password",
            "first_name",
            "last_name",
            "is_active",
            "is_staff",
            "is_superuser",
            "is_secretariat",
        )
        .first()
    )
    if row is None:
        return None
    row["groups"] = sorted(user.groups.values_list("pk", flat=True))
    row["permissions"] = sorted(user.user_permissions.values_list("pk", flat=True))
    return row


def change_data(user, **changes):
    """The change form as the browser posts it for ``user``, with ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "organisation": "",
        "job_title": user.job_title,
        "groups": [group.pk for group in user.groups.all()],
        "user_permissions": [perm.pk for perm in user.user_permissions.all()],
    }
    for flag in ["is_active", "is_staff", "is_superuser", "is_secretariat"]:
        if changes.pop(flag, getattr(user, flag)):
            data[flag] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_the_change_form_is_read_only_on_a_more_privileged_account(
    client, accounts, actor, target, may_act
):
    """The change form of a more privileged account shows it with no save
    button and no link to its password form (nor its hash)."""
    user = signed_in(client, accounts, actor, target)

    response = client.get(url("change", user.pk))

    assert response.status_code == 200
    html = response.content.decode()
    assert ('name="_save"' in html) is may_act
    assert ('href="../password/"' in html) is may_act


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_saving_the_change_form_of_a_more_privileged_account_is_refused(
    client, accounts, actor, target, may_act
):
    """Saving a more privileged account's change form (a new e-mail, name,
    username, or deactivating it) is refused with a 403, and nothing changes."""
    user = signed_in(client, accounts, actor, target)
    before = snapshot(user)

    response = client.post(
        url("change", user.pk),
        change_data(
            user,
            username=f"{user.username}-pris",
            email="pirate@example.org",
            last_name="Pirate",
            is_active=target == "self",
        ),
    )

    if may_act:
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.username, user.email) == (
            f"{before['username']}-pris",
            "pirate@example.org",
        )
    else:
        assert response.status_code == 403
        assert snapshot(user) == before


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_the_password_of_a_more_privileged_account_cannot_be_set(
    client, accounts, actor, target, may_act
):
    """The password form of a more privileged account is refused (403), read
    or posted, and its password still works afterwards."""
    user = signed_in(client, accounts, actor, target)
    before = snapshot(user)

    shown = client.get(password_url(user))
    posted = client.post(
        password_url(user),
        {
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user.refresh_from_db()
    if may_act:
        assert (shown.status_code, posted.status_code) == (200, 302)
        assert user.check_password(NEW_PASSWORD)
    else:
        assert (shown.status_code, posted.status_code) == (403, 403)
        assert snapshot(user) == before
        assert user.check_password(f.PASSWORD)


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_a_more_privileged_account_cannot_be_deleted(
    client, accounts, actor, target, may_act
):
    """The delete page of a more privileged account is refused (403), read or
    confirmed, and the account is still there."""
    user = signed_in(client, accounts, actor, target)
    before = snapshot(user)

    shown = client.get(url("delete", user.pk))
    posted = client.post(url("delete", user.pk), {"post": "yes"})

    if may_act:
        assert (shown.status_code, posted.status_code) == (200, 302)
        assert snapshot(user) is None
    else:
        assert (shown.status_code, posted.status_code) == (403, 403)
        assert snapshot(user) == before


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_the_bulk_delete_action_spares_a_more_privileged_account(
    client, accounts, actor, target, may_act
):
    """The "delete selected" action, confirmed, refuses (403) a selection that
    holds a more privileged account, and deletes nothing."""
    user = signed_in(client, accounts, actor, target)
    before = snapshot(user)

    response = client.post(
        url("changelist"),
        {"action": "delete_selected", "_selected_action": [user.pk], "post": "yes"},
    )

    if may_act:
        assert response.status_code == 302
        assert snapshot(user) is None
    else:
        assert response.status_code == 403
        assert snapshot(user) == before


@pytest.mark.parametrize(("actor", "target", "may_act"), CELLS)
def test_nobody_raises_an_account_above_their_own_privileges(
    client, accounts, actor, target, may_act
):
    """Ticking superuser, staff and secretariat and adding a permission on a
    change form: a superuser may; the secretariat gets what it holds itself
    (staff and secretariat; superuser status and permissions are not in its
    form); staff without the secretariat flag cannot make anyone secretariat
    and is told why; on a more privileged account it is a 403. Nobody ends up
    above the actor."""
    user = signed_in(client, accounts, actor, target)
    actor_user = accounts[f"actor-{actor}"]
    foreign = Permission.objects.get(codename="change_group")
    before = snapshot(user)

    response = client.post(
        url("change", user.pk),
        change_data(
            user,
            is_staff=True,
            is_superuser=True,
            is_secretariat=True,
            user_permissions=[foreign.pk],
        ),
    )

    user.refresh_from_db()
    if not may_act:
        assert response.status_code == 403
        assert snapshot(user) == before
    elif actor == "superuser":
        assert response.status_code == 302
        assert user.is_superuser and user.user_permissions.filter(pk=foreign.pk)
    elif actor == "secretariat":
        assert response.status_code == 302
        assert (user.is_staff, user.is_secretariat, user.is_superuser) == (
            True,
            True,
            False,
        )
        assert not user.user_permissions.filter(pk=foreign.pk).exists()
    else:
        assert response.status_code == 200
        assert (
            "Vous ne pouvez pas donner à un compte des privilèges que vous "
            "n’avez pas vous-même" in response.content.decode()
        )
        assert snapshot(user) == before
    if may_act:
        assert privileges_of(user).is_within(privileges_of(actor_user))


@pytest.mark.parametrize("actor", ACTORS)
def test_the_add_form_creates_no_account_above_its_author(client, accounts, actor):
    """The add form asks a username and a password only: flags posted with it
    are ignored, so the new account holds no privileges at all."""
    client.force_login(accounts[f"actor-{actor}"])

    response = client.post(
        url("add"),
        {
            "username": "nouveau",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_staff": "on",
            "is_superuser": "on",
            "is_secretariat": "on",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="nouveau")
    assert (created.is_staff, created.is_superuser, created.is_secretariat) == (
        False,
        False,
        False,
    )
    assert not privileges_of(created).permissions


def test_the_changelist_lists_every_account_but_leads_to_a_read_only_form(
    client, accounts
):
    """The secretariat sees the superuser in the list; its link opens the
    read-only form, with no save button."""
    client.force_login(accounts["actor-secretariat"])
    superuser = accounts["superuser"]

    listing = client.get(url("changelist"))
    form = client.get(url("change", superuser.pk))

    assert f'href="{url("change", superuser.pk)}"' in listing.content.decode()
    assert 'name="_save"' not in form.content.decode()


def test_a_mixed_selection_is_deleted_whole_or_not_at_all(client, accounts):
    """Selecting an ordinary account with a superuser: the confirmation page
    says the superuser cannot be deleted, confirming is refused, and both
    accounts remain."""
    client.force_login(accounts["actor-secretariat"])
    ordinary, superuser = accounts["ordinary"], accounts["superuser"]
    selection = {
        "action": "delete_selected",
        "_selected_action": [ordinary.pk, superuser.pk],
    }

    confirmation = client.post(url("changelist"), selection)
    confirmed = client.post(url("changelist"), {**selection, "post": "yes"})

    assert confirmation.status_code == 200
    assert 'name="post"' not in confirmation.content.decode()
    assert confirmed.status_code == 403
    assert User.objects.filter(pk__in=[ordinary.pk, superuser.pk]).count() == 2


def test_the_matrix_covers_every_view_and_action_of_the_user_admin():
    """Adding a view or a bulk action to the user admin fails here until the
    matrix above covers it (the history is read-only)."""
    user_admin = admin.site.get_model_admin(User)
    names = {
        pattern.name for pattern in user_admin.get_urls() if pattern.name is not None
    }

    assert names == {
        "people_user_changelist",
        "people_user_add",
        "people_user_change",
        "auth_user_password_change",
        "people_user_delete",
        "people_user_history",
    }
    assert set(admin.site._actions) | set(user_admin.actions or []) == {
        "delete_selected"
    }


class TestGroups:
    """A group hands its permissions to its members: changing it acts on them."""

    @pytest.fixture
    def group_editor(self, accounts):
        """Staff who may edit groups, holding the people permissions only."""
        editor = accounts["actor-staff"]
        editor.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="auth", codename__endswith="_group"
            )
        )
        return editor

    def test_a_group_gets_only_permissions_its_editor_holds(self, client, group_editor):
        """Adding to a group a permission one does not hold is a form error."""
        client.force_login(group_editor)
        group = Group.objects.create(name="Lecteurs")
        foreign = Permission.objects.get(codename="change_axis")

        response = client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": "Lecteurs", "permissions": [foreign.pk]},
        )

        assert response.status_code == 200
        assert not group.permissions.exists()

    def test_a_group_of_more_privileged_people_is_read_only(
        self, client, accounts, group_editor
    ):
        """A group one of whose members is above the editor (here the other
        secretariat account) cannot be changed or deleted, and stays whole."""
        client.force_login(group_editor)
        group = accounts["secretariat"].groups.get()
        permissions = set(group.permissions.all())

        changed = client.post(
            reverse("admin:auth_group_change", args=[group.pk]),
            {"name": group.name, "permissions": []},
        )
        deleted = client.post(
            reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
        )

        assert (changed.status_code, deleted.status_code) == (403, 403)
        assert set(group.permissions.all()) == permissions


SUPERUSER = Privileges(superuser=True)
SECRETARIAT = Privileges(
    flags=frozenset({"is_staff", "is_secretariat"}),
    permissions=frozenset({"people.change_user"}),
)
STAFF = Privileges(
    flags=frozenset({"is_staff"}), permissions=frozenset({"people.change_user"})
)
ORDINARY = Privileges()
PORTAL_SECRETARIAT = Privileges(flags=frozenset({"is_secretariat"}))


@pytest.mark.parametrize(
    ("lower", "upper", "within"),
    [
        pytest.param(SECRETARIAT, SUPERUSER, True, id="secretariat-under-superuser"),
        pytest.param(SUPERUSER, SECRETARIAT, False, id="superuser-over-secretariat"),
        pytest.param(STAFF, SECRETARIAT, True, id="staff-under-secretariat"),
        pytest.param(SECRETARIAT, STAFF, False, id="secretariat-over-staff"),
        pytest.param(ORDINARY, STAFF, True, id="ordinary-under-staff"),
        pytest.param(SECRETARIAT, SECRETARIAT, True, id="peers"),
        pytest.param(SUPERUSER, SUPERUSER, True, id="superuser-peers"),
        pytest.param(PORTAL_SECRETARIAT, STAFF, False, id="flag-staff-lacks"),
        pytest.param(STAFF, PORTAL_SECRETARIAT, False, id="admin-portal-lacks"),
        pytest.param(
            Privileges(flags=STAFF.flags, permissions=frozenset({"auth.change_group"})),
            SECRETARIAT,
            False,
            id="permission-secretariat-lacks",
        ),
    ],
)
def test_privileges_are_a_set_not_a_ladder(lower, upper, within):
    """A superuser holds every privilege; anyone else holds their flags and
    permissions, and is above another only when holding all of the other's."""
    assert lower.is_within(upper) is within


@pytest.mark.parametrize("actor", ["secretariat", "staff"])
def test_nobody_but_a_superuser_gives_themselves_a_role(client, accounts, actor):
    """The secretariat hands out roles, to others: on one's own account the
    commission vote, the partner role and the organisation are read-only, and
    a forged POST changes none of them."""
    secretariat = signed_in(client, accounts, actor, "self")
    url = reverse("admin:people_user_change", args=[secretariat.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in form.fields
        if name not in ("password",)
    }
    data.update(is_commission_delegate="on", is_partner="on")

    client.post(url, data)

    secretariat.refresh_from_db()
    assert not secretariat.is_commission_delegate
    assert not secretariat.is_partner
    assert "is_commission_delegate" not in form.fields
    assert "organisation" not in form.fields
