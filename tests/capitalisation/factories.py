"""Factories for experience sheets (see tests/factories.py for the others)."""

import factory
from django.utils import timezone

from axes.models import Axis
from capitalisation.models import ExperienceSheet
from tests import factories as f


class ExperienceSheetFactory(factory.django.DjangoModelFactory):
    """A draft by a landlord staff member, for their organisation. With
    ``status="published"`` it gets its publication date."""

    class Meta:
        model = ExperienceSheet
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Fiche d’expérience n°{n}")
    summary = "Ce que nous avons fait, et ce qui en est sorti."
    what_was_done = "- Une action menée avec les locataires."
    results = "- Des résultats mesurés."
    lessons = "- Ce qu’un autre site peut reprendre."
    period = "2006"
    axis = factory.LazyFunction(lambda: Axis.objects.order_by("number").first())
    author = factory.SubFactory(f.UserFactory, landlord_staff=True)
    organisation = factory.LazyAttribute(lambda sheet: sheet.author.organisation)
    contact_name = "Camille Exemple"
    contact_email = "camille.exemple@example.org"
    status = ExperienceSheet.Status.DRAFT
    published_at = factory.LazyAttribute(
        lambda sheet: timezone.now() if sheet.status == "published" else None
    )
    submitted_at = factory.LazyAttribute(
        lambda sheet: timezone.now() if sheet.status != "draft" else None
    )
    review_comment = factory.LazyAttribute(
        lambda sheet: "Préciser les résultats." if sheet.status == "returned" else ""
    )

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def other_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.other_organisations.set(extracted)

    @factory.post_generation
    def proposals(self, create, extracted, **kwargs):
        if create and extracted:
            self.proposals.set(extracted)
