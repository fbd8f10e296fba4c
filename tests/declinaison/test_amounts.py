"""An action's budget, funding lines and progress, typed the French way, are
saved exactly; an ambiguous amount is refused next to its field with what was
typed; amounts are shown back in French, in the form and in the warnings."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ateliers.models import Proposal
from declinaison.models import SiteAction

from .support import extend_world, form_data

S = Proposal.Status
NBSP = "\u00a0"
TITLE = "Chantier éducatif au Grand Pont"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world, django_db_blocker):
    with django_db_blocker.unblock():
        extend_world(world)
    return world


def create(client, world, **overrides):
    client.force_login(world.people["member"])
    url = reverse(
        "declinaison:action_create", kwargs={"pk": world.proposals[S.VALIDATED].pk}
    )
    return client.post(url, form_data(world, title=TITLE, **overrides), follow=True)


def test_a_budget_typed_the_french_way_is_saved_exactly(client, world):
    """« 10 500,50 » is 10 500,50 €, not 1 050 050 € nor a refusal, with a
    space, a non-breaking or a narrow non-breaking space; a spreadsheet's
    « 10500.50 » too."""
    response = create(
        client,
        world,
        budget="10 500,50",
        **{
            "funding-0-amount": f"10{NBSP}000,50",
            "funding-1-source": "landlord",
            "funding-1-amount": "500.00",
        },
    )

    action = SiteAction.objects.get(title=TITLE)
    assert action.budget == Decimal("10500.50")
    assert sorted(action.funding_lines.values_list("amount", flat=True)) == [
        Decimal("500.00"),
        Decimal("10000.50"),
    ]
    page = response.content.decode()
    assert f"10{NBSP}500,50 €" in page
    assert "alert-warning" not in page  # 10 000,50 + 500 = the budget

    edit = client.get(reverse("declinaison:action_update", kwargs={"pk": action.pk}))
    html = edit.content.decode()
    assert f'value="10{NBSP}500,50"' in html
    assert f'value="10{NBSP}000,50"' in html
    assert 'type="number"' not in html


def test_a_narrow_no_break_space_and_a_euro_sign_are_read_too(client, world):
    create(client, world, budget="10\u202f500,50 €")

    assert SiteAction.objects.get(title=TITLE).budget == Decimal("10500.50")


@pytest.mark.parametrize(
    "typed, hint",
    [
        ("10.500,50", "mélange points et virgules"),
        ("10,500.50", "mélange points et virgules"),
        ("1.234", f"«{NBSP}1{NBSP}234{NBSP}»"),
        ("10 5 00", "groupes de trois chiffres"),
        ("-500", "négatif"),
        ("10 500,505", "plus de 2 chiffres après la virgule"),
        ("12 345 678 901", "trop grand"),
    ],
)
def test_an_ambiguous_budget_is_refused_with_what_was_typed(client, world, typed, hint):
    count = SiteAction.objects.count()

    response = create(client, world, budget=typed)

    assert response.status_code == 400
    assert SiteAction.objects.count() == count
    html = response.content.decode()
    assert hint in html
    assert f'value="{typed}"' in html


def test_an_ambiguous_funding_line_is_refused_with_what_was_typed(client, world):
    response = create(client, world, **{"funding-0-amount": "12.000"})

    assert response.status_code == 400
    assert not SiteAction.objects.filter(title=TITLE).exists()
    html = response.content.decode()
    assert f"«{NBSP}12{NBSP}000{NBSP}»" in html
    assert 'value="12.000"' in html


def test_the_warning_about_the_funding_shows_french_figures(client, world):
    """« 15 000,00 € », not « 15000.00 € »."""
    response = create(client, world, budget="20 000", **{"funding-0-amount": "15 000"})

    messages = response.context["messages"]
    (warning,) = [str(m) for m in messages if m.level_tag == "warning"]
    assert f"15{NBSP}000,00{NBSP}€" in warning
    assert f"20{NBSP}000,00{NBSP}€" in warning


def test_a_progress_is_typed_with_or_without_its_percent_sign(client, world):
    action = world.actions["ours"]
    client.force_login(world.people["member"])
    url = reverse("declinaison:action_progress", kwargs={"pk": action.pk})
    page = client.get(url).content.decode()
    assert 'inputmode="numeric"' in page and 'type="number"' not in page

    response = client.post(
        url,
        {
            "base_version": action.version,
            "status": "in_progress",
            "progress": "30 %",
            "body": "",
        },
    )

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.progress == 30


def test_a_progress_with_decimals_is_refused(client, world):
    action = world.actions["ours"]
    client.force_login(world.people["member"])

    response = client.post(
        reverse("declinaison:action_progress", kwargs={"pk": action.pk}),
        {"base_version": action.version, "status": "in_progress", "progress": "30,5"},
    )

    assert response.status_code == 400
    assert "nombre entier" in response.content.decode()


def test_the_exports_hold_the_amount_typed_as_a_number(client, world):
    """The CSV writes 10500,50 (a decimal comma, no thousands: what a
    spreadsheet reads), the XLSX the number 10500.5."""
    create(client, world, budget="10 500,50")
    slug = {"slug": "grand-pont"}

    response = client.get(reverse("declinaison:territory_csv", kwargs=slug))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    (row,) = [r for r in csv.reader(io.StringIO(text), delimiter=";") if TITLE in r]
    assert row[14] == "10500,50"

    response = client.get(reverse("declinaison:territory_xlsx", kwargs=slug))
    sheet = load_workbook(io.BytesIO(response.content)).active
    (cells,) = [r for r in sheet.iter_rows() if r[3].value == TITLE]
    assert cells[14].value == 10500.5
    assert cells[14].data_type == "n"
