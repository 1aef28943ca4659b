"""Wagtail pages of the help centre. This app imports no portal app: it links by URL name."""

import re

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from . import links
from .blocks import (
    RICH_TEXT_FEATURES,
    ContactBlock,
    GuideBodyBlock,
    QuestionBlock,
    StandardBodyBlock,
    question_anchor,
)
from .widgets import PageChooser


def _text(html) -> str:
    """Plain text of rich text; block tags become spaces so list items do not run together."""
    return " ".join(
        strip_tags(re.sub(r"</?(p|li|ul|ol|h\d|br)\b[^>]*>", " ", str(html or ""))).split()
    )


class HelpPage(Page):
    """Common behaviour: plain-text passages used to build highlighted search excerpts."""

    class Meta:
        abstract = True

    def search_passages(self) -> list[tuple[str, str]]:
        """(text, fragment) pairs, in reading order; the fragment may be empty."""
        return [(self.search_description, "")] if self.search_description else []


class HomePage(HelpPage):
    intro = RichTextField(_("introduction"), blank=True)
    featured = StreamField(
        [("demarche", blocks.PageChooserBlock(page_type="cms.DemarchePage", label=_("démarche")))],
        blank=True,
        verbose_name=_("démarches mises en avant"),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        demarches = [block.value for block in self.featured if block.value and block.value.live]
        if not demarches:
            demarches = list(
                DemarchePage.objects.live().public().filter(locale=self.locale).order_by("path")[:3]
            )
        context["demarches"] = [page.specific for page in demarches]
        context["track_url"] = links.portal_url(links.TRACK_URL_NAME) or self._guide_url(
            "suivre-une-demande-sans-compte"
        )
        context["login_url"] = links.portal_url(links.LOGIN_URL_NAME) or self._guide_url(
            "se-connecter"
        )
        context["latest_guides"] = (
            GuidePage.objects.live()
            .public()
            .filter(locale=self.locale)
            .order_by("-first_published_at", "path")[:3]
        )
        return context

    def _guide_url(self, slug: str) -> str:
        """Fallback while a portal screen is missing: the guide that explains it."""
        guide = GuidePage.objects.live().descendant_of(self).filter(slug=slug).first()
        return guide.url if guide else ""


class GuideIndexPage(HelpPage):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage"]

    class Meta:
        verbose_name = _("liste des guides")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = GuidePage.objects.child_of(self).live().public().order_by("path")
        return context


class GuidePage(HelpPage):
    intro = models.TextField(
        _("introduction"), help_text=_("Deux ou trois phrases : à quoi sert ce guide.")
    )
    body = StreamField(GuideBodyBlock(), verbose_name=_("étapes"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("guide")

    def numbered_body(self):
        """Blocks with the number of each step (callouts and related guides have none)."""
        number = 0
        for block in self.body:
            if block.block_type == "step":
                number += 1
                yield number, block
            else:
                yield None, block

    def search_passages(self):
        passages = [(self.intro, "")]
        for number, block in self.numbered_body():
            if number:
                text = f"{block.value['title']}. {_text(block.value['text'])}"
                passages.append((text, f"etape-{number}"))
            elif block.block_type == "callout":
                passages.append((_text(block.value["text"]), ""))
        return passages


class FaqIndexPage(HelpPage):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.FaqPage"]

    class Meta:
        verbose_name = _("foire aux questions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = FaqPage.objects.child_of(self).live().public().order_by("path")
        return context


class FaqPage(HelpPage):
    """One theme of the FAQ: its questions, each with an anchor that opens its answer."""

    intro = models.TextField(_("introduction"), blank=True)
    questions = StreamField([("question", QuestionBlock())], verbose_name=_("questions"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("questions")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("questions"),
    ]
    parent_page_types = ["cms.FaqIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("thème de la foire aux questions")

    def items(self):
        """(anchor, question block value) pairs for the template."""
        return [(question_anchor(block.value), block.value) for block in self.questions]

    def search_passages(self):
        return [
            (f"{value['question']} {_text(value['answer'])}", anchor)
            for anchor, value in self.items()
        ]


class DemarcheIndexPage(HelpPage):
    intro = RichTextField(_("introduction"), blank=True, features=RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.DemarchePage"]

    class Meta:
        verbose_name = _("liste des démarches")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["demarches"] = DemarchePage.objects.child_of(self).live().public().order_by("path")
        return context


class DemarchePage(HelpPage):
    """Explains a procedure and leads to its filing form (resolved by URL name, see ADR 0200)."""

    procedure_slug = models.SlugField(
        _("identifiant de la démarche"),
        max_length=100,
        help_text=_(
            "L'identifiant de la démarche dans le portail, par exemple « aide-chauffage »."
        ),
    )
    intro = models.TextField(_("en bref"))
    who_can_apply = RichTextField(_("qui peut faire la demande"), features=RICH_TEXT_FEATURES)
    documents = RichTextField(_("documents à préparer"), features=RICH_TEXT_FEATURES)
    delays = RichTextField(_("délais"), features=RICH_TEXT_FEATURES)
    contact = StreamField([("contact", ContactBlock())], blank=True, verbose_name=_("contact"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("procedure_slug"),
        FieldPanel("intro"),
        FieldPanel("who_can_apply"),
        FieldPanel("documents"),
        FieldPanel("delays"),
        FieldPanel("contact"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("who_can_apply"),
        index.SearchField("documents"),
        index.SearchField("delays"),
    ]
    parent_page_types = ["cms.DemarcheIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("page de démarche")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["procedure_start_url"] = links.procedure_start_url(self.procedure_slug)
        return context

    def search_passages(self):
        return [
            (self.intro, ""),
            (_text(self.who_can_apply), "qui-peut-demander"),
            (_text(self.documents), "documents"),
            (_text(self.delays), "delais"),
        ]


class StandardPage(HelpPage):
    """Legal pages and "Vous rencontrez une difficulté ?"."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StandardBodyBlock(), verbose_name=_("contenu"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("page simple")


@register_snippet
class HelpLink(models.Model):
    """Contextual help: the guide a portal screen (by URL name) links to."""

    url_name = models.CharField(
        _("nom de l'écran"),
        max_length=150,
        unique=True,
        help_text=_("Le nom d'URL de l'écran du portail, par exemple « account_login »."),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page d'aide"),
    )

    panels = [FieldPanel("url_name"), FieldPanel("page", widget=PageChooser)]

    class Meta:
        verbose_name = _("lien d'aide contextuelle")
        verbose_name_plural = _("liens d'aide contextuelle")
        ordering = ["url_name"]

    def __str__(self):
        return self.url_name
