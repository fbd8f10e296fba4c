from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField
from people.rules import is_secretariat, landlord_staff


class ExperienceSheetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ExperienceSheet.Status.PUBLISHED)

    def visible_to(self, user):
        """The sheets ``user`` may read; the same rule as the
        ``capitalisation.view_sheet`` permission (see capitalisation/rules.py)."""
        return self.filter(sheet_visibility_q(user))


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    RETURNED = "returned", _("Returned to its author")


class ExperienceSheet(VersionedModel):
    """An experience sheet (fiche d'expérience): what a landlord did on a site,
    what came of it and what others can reuse; shared with everyone once the
    AMO2SM secretariat has reviewed and published it."""

    Status = SheetStatus
    # Its author works on a sheet while it is a draft or returned to them; the
    # secretariat corrects it while reviewing it and once it is published.
    AUTHOR_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
    SECRETARIAT_STATUSES = frozenset({Status.SUBMITTED, Status.PUBLISHED})
    EDITABLE_STATUSES = AUTHOR_STATUSES | SECRETARIAT_STATUSES

    title = models.CharField(_("title"), max_length=200)
    summary = LongTextField(_("summary"), max_length=600)
    what_was_done = LongTextField(_("what was done"), max_length=texts.LONG_TEXT)
    results = LongTextField(_("results"), max_length=texts.LONG_TEXT, blank=True)
    lessons = LongTextField(_("what to reuse"), max_length=texts.LONG_TEXT, blank=True)
    period = models.CharField(
        _("period"),
        max_length=100,
        blank=True,
        help_text=_(
            "When it happened, in your own words, e.g. “every summer since 2004”."
        ),
    )
    axis = models.ForeignKey(
        "axes.Axis",
        verbose_name=_("axis"),
        on_delete=models.PROTECT,
        related_name="experience_sheets",
    )
    proposals = models.ManyToManyField(
        "ateliers.Proposal",
        verbose_name=_("related proposals"),
        blank=True,
        related_name="experience_sheets",
    )
    territories = models.ManyToManyField(
        "people.Territory",
        verbose_name=_("sites"),
        blank=True,
        related_name="experience_sheets",
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="experience_sheets",
        help_text=_("Whose experience this is."),
    )
    other_organisations = models.ManyToManyField(
        "people.Organisation",
        verbose_name=_("partners involved"),
        blank=True,
        related_name="partnered_experience_sheets",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="experience_sheets",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    review_comment = LongTextField(
        _("review comment"), max_length=texts.COMMENT, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("sent for review at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = ExperienceSheetQuerySet.as_manager()

    class Meta(VersionedModel.Meta):
        verbose_name = _("experience sheet")
        verbose_name_plural = _("experience sheets")
        ordering = ["-published_at", "-created_at", "-pk"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=SheetStatus.values),
                name="sheet_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="sheet_returned_has_comment",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="sheet_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="sheet_title_not_empty"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="sheet_status_idx")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("capitalisation:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


# Who reads which sheets, written once beside the model: used by
# ``ExperienceSheet.objects.visible_to`` (lists) and, for one sheet, matching
# the ``capitalisation.view_sheet`` permission (rules.py).
def sheet_visibility_q(user) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_secretariat(user):
        return Q()
    visible = Q(status=SheetStatus.PUBLISHED) | Q(author_id=user.pk)
    if landlord_staff(user):
        visible |= Q(organisation_id=user.organisation_id)
    return visible
