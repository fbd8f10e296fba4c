import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cucs_portal import texts
from cucs_portal.records import VersionedModel
from cucs_portal.texts import LongTextField


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Edition(VersionedModel):
    """An edition of the référentiel, e.g. the one handed out at the seminar of
    10 May 2007: an introduction and the validated proposals of the six axes.

    A draft is assembled from the current proposals each time it is read; once
    published, its content is frozen in ``snapshot`` and never changes again.
    """

    Status = EditionStatus

    title = models.CharField(_("title"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    event_date = models.DateField(_("date"), null=True, blank=True)
    introduction = LongTextField(
        _("introduction"),
        max_length=texts.DOCUMENT,
        blank=True,
        help_text=_(
            "The preliminary findings, the method and the six axes. A line "
            "starting with “### ” makes a heading."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("started from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.JSONField(_("frozen content"), null=True, blank=True)
    content_hash = models.CharField(_("content fingerprint"), max_length=64, blank=True)
    rendition = models.ForeignKey(
        "Rendition",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The last PDF asked for; for a published edition, its PDF."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    download_count = models.PositiveIntegerField(
        _("downloads by signed-in people"), default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(VersionedModel.Meta):
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-event_date", "-created_at"]
        constraints = [
            *VersionedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(status__in=EditionStatus.values),
                name="edition_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="edition_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(snapshot__isnull=False) & ~Q(content_hash="")),
                name="edition_published_is_frozen",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("referentiel:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class EditionEntry(models.Model):
    """The secretariat's choice for one proposal in a draft edition: left out or
    not, and its place among the proposals of its enjeu. A validated proposal
    without an entry is included, in its atelier's order."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    proposal = models.ForeignKey(
        "ateliers.Proposal",
        verbose_name=_("proposal"),
        on_delete=models.CASCADE,
        related_name="edition_entries",
    )
    included = models.BooleanField(_("included"), default=True)
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        verbose_name = _("proposal of an edition")
        verbose_name_plural = _("proposals of an edition")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "proposal"], name="edition_entry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.edition} · {self.proposal}"


def rendition_upload_to(instance, filename):
    return f"referentiel/{instance.content_hash[:2]}/{instance.content_hash}.pdf"


class RenditionStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be made")
    RUNNING = "running", _("Being rendered")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Rendition(models.Model):
    """One PDF of one content, found by the hash of that content (and of the
    layout it was rendered with): the same content is never rendered twice."""

    Status = RenditionStatus

    class Stage(models.TextChoices):
        WAITING = "waiting", _("Waiting to be made")
        STARTING = "starting", _("Preparing the document")
        LAYOUT = "layout", _("Laying out the pages")
        WRITE = "write", _("Writing the PDF")
        STORE = "store", _("Storing the PDF")
        DONE = "done", _("Done")

    content_hash = models.CharField(
        _("content fingerprint"), max_length=64, unique=True
    )
    content = models.JSONField(_("content"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.WAITING
    )
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=rendition_upload_to, blank=True)
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    render_seconds = models.FloatField(_("rendering time (s)"), null=True, blank=True)
    peak_memory_mb = models.PositiveIntegerField(
        _("peak memory of the rendering (MB)"), null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked for by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    worker = models.CharField(
        _("rendered by"),
        max_length=100,
        blank=True,
        help_text=_("The worker process (machine:process) holding the rendering."),
    )
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_("Refreshed every few seconds by the worker while it renders."),
    )

    class Meta:
        verbose_name = _("rendered PDF")
        verbose_name_plural = _("rendered PDFs")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RenditionStatus.values),
                name="rendition_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(sha256="") & ~Q(file="")),
                name="rendition_done_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.content_hash[:12]} ({self.get_status_display()})"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


def edition_file_upload_to(instance, filename):
    return (
        f"referentiel/{instance.format}/{instance.sha256[:2]}/"
        f"{instance.sha256}.{instance.format}"
    )


class EditionFileFormat(models.TextChoices):
    ODT = "odt", _("OpenDocument text (ODT)")
    DOCX = "docx", _("Word (DOCX)")


class EditionFile(models.Model):
    """The ODT or the DOCX of a published edition, made once from its frozen
    content (``referentiel.formats``) and kept with its SHA-256, as its PDF.
    A draft's are made from its current content at each request, never kept."""

    Format = EditionFileFormat

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        related_name="files",
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    file = models.FileField(_("file"), upload_to=edition_file_upload_to)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"))
    make_seconds = models.FloatField(_("making time (s)"))
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("editable file of an edition")
        verbose_name_plural = _("editable files of an edition")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "format"], name="edition_file_unique"
            ),
            models.CheckConstraint(
                condition=Q(format__in=EditionFileFormat.values),
                name="edition_file_format_valid",
            ),
        ]

    def __str__(self):
        return f"{self.edition} · {self.get_format_display()}"


SHARE_SALT = "referentiel.share-link"


class ShareLink(models.Model):
    """A link to a published edition for partners without an account: a plain
    page about the edition and its PDF. Signed, revocable, may expire; each
    download is counted."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="share_links",
    )
    label = models.CharField(
        _("for whom"),
        max_length=150,
        help_text=_("E.g. “Préfecture de la Loire” or “seminar participants”."),
    )
    key = models.CharField(max_length=43, unique=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a link that does not expire."),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    download_count = models.PositiveIntegerField(
        _("downloads"), default=0, help_text=_("Of the PDF, the ODT and the DOCX.")
    )
    odt_download_count = models.PositiveIntegerField(_("ODT downloads"), default=0)
    docx_download_count = models.PositiveIntegerField(_("DOCX downloads"), default=0)
    last_downloaded_at = models.DateTimeField(_("last download"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.edition} · {self.label}"

    def save(self, *args, **kwargs):
        if not self.key:
            self.key = secrets.token_urlsafe(32)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("share:page", kwargs={"token": self.token})

    @property
    def token(self) -> str:
        """The key and its signature: the same link every time it is shown
        (expiry and revocation live in the database, not in the token)."""
        return signing.Signer(salt=SHARE_SALT).sign(self.key)

    @classmethod
    def key_from_token(cls, token: str) -> str | None:
        try:
            return signing.Signer(salt=SHARE_SALT).unsign(token)
        except signing.BadSignature:
            return None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class Review(models.Model):
    """The secretariat asks the commission (every delegate) and named partners
    to read a draft edition and comment on it, until a day (included). One
    review of an edition is open at a time; the secretariat may close it
    early, and publishing the edition closes it."""

    edition = models.ForeignKey(
        Edition,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    closes_on = models.DateField(
        _("comments until"),
        help_text=_("Comments can be left until the end of this day."),
    )
    message = LongTextField(
        _("message to the reviewers"),
        max_length=texts.COMMENT,
        blank=True,
        help_text=_("Sent in the invitation e-mail, e.g. what to read first."),
    )
    partners = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited partners"),
        blank=True,
        related_name="edition_reviews",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("review of an edition")
        verbose_name_plural = _("reviews of editions")
        ordering = ["-opened_at"]
        constraints = [
            # Not closed by hand: at most one per edition (one whose day has
            # passed is closed when the next one opens).
            models.UniqueConstraint(
                fields=["edition"],
                condition=Q(closed_at__isnull=True),
                name="review_one_unclosed_per_edition",
            ),
        ]

    def __str__(self):
        return f"{self.edition} · {self.closes_on:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        """Comments are taken: not closed, and its last day not past."""
        return self.closed_at is None and self.closes_on >= timezone.localdate()


class ReviewCommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ReviewComment(models.Model):
    """A reviewer's comment on one section of the draft: its introduction, an
    axis, an enjeu or a proposal (``section``, the anchor of the section in
    the document, e.g. ``proposition-12``; ``section_label`` says what it was
    called when the comment was made)."""

    Status = ReviewCommentStatus

    review = models.ForeignKey(
        Review,
        verbose_name=_("review"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    section = models.CharField(_("section"), max_length=40)
    section_label = models.CharField(_("section"), max_length=texts.TITLE + 40)
    body = LongTextField(_("comment"), max_length=texts.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment on an edition")
        verbose_name_plural = _("comments on editions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewCommentStatus.values),
                name="review_comment_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.section_label} · {self.author}"

    def get_absolute_url(self):
        url = reverse("referentiel:comments", kwargs={"pk": self.review.edition_id})
        return f"{url}#commentaire-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ReviewAnswer(models.Model):
    """The secretariat's answer to a comment (there may be several)."""

    comment = models.ForeignKey(
        ReviewComment,
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    body = LongTextField(_("answer"), max_length=texts.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer to a comment")
        verbose_name_plural = _("answers to comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.comment} · {self.author}"
