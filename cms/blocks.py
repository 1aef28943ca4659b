"""StreamField blocks of the help centre: guide steps, callouts, FAQ questions, contact."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class IllustrationBlock(blocks.StructBlock):
    """An optional image; once an image is chosen its text alternative is mandatory."""

    image = ImageChooserBlock(required=False, label=_("image"))
    alt = blocks.CharBlock(
        required=False,
        max_length=250,
        label=_("texte alternatif"),
        help_text=_("Décrivez ce que montre l'image pour les personnes qui ne la voient pas."),
    )
    caption = blocks.CharBlock(required=False, max_length=250, label=_("légende"))

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not (value.get("alt") or "").strip():
            raise StructBlockValidationError(
                block_errors={
                    "alt": ValidationError(_("Une image doit avoir un texte alternatif."))
                }
            )
        return value

    class Meta:
        icon = "image"
        label = _("illustration")
        template = "cms/blocks/illustration.html"


class StepBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, label=_("titre de l'étape"))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("texte"))
    illustration = IllustrationBlock(required=False)

    class Meta:
        icon = "list-ol"
        label = _("étape")
        template = "cms/blocks/step.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Conseil")), ("warning", _("Attention"))],
        default="tip",
        label=_("type"),
    )
    title = blocks.CharBlock(required=False, max_length=200, label=_("titre"))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("texte"))

    class Meta:
        icon = "warning"
        label = _("encadré")
        template = "cms/blocks/callout.html"


class RelatedGuidesBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, default=_("Guides liés"), label=_("titre"))
    guides = blocks.ListBlock(blocks.PageChooserBlock(page_type="cms.GuidePage"), label=_("guides"))

    class Meta:
        icon = "link"
        label = _("guides liés")
        template = "cms/blocks/related_guides.html"


class ContactBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200, default=_("Nous contacter"), label=_("titre"))
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, required=False, label=_("texte"))
    email = blocks.EmailBlock(required=False, label=_("adresse électronique"))
    phone = blocks.CharBlock(required=False, max_length=40, label=_("téléphone"))
    hours = blocks.CharBlock(required=False, max_length=200, label=_("horaires"))
    address = blocks.TextBlock(required=False, label=_("adresse postale"))

    class Meta:
        icon = "mail"
        label = _("contact")
        template = "cms/blocks/contact.html"


def question_anchor(value) -> str:
    """The fragment that opens one answer: the editor's anchor, else one built from the question."""
    return slugify(value.get("anchor") or value.get("question") or "")[:80]


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250, label=_("question"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("réponse"))
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        label=_("ancre"),
        help_text=_("Laissez vide pour la construire à partir de la question."),
    )

    class Meta:
        icon = "help"
        label = _("question")


class GuideBodyBlock(blocks.StreamBlock):
    step = StepBlock()
    callout = CalloutBlock()
    related = RelatedGuidesBlock()


class StandardBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, label=_("intertitre"), template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=["h3", *RICH_TEXT_FEATURES], label=_("paragraphe"))
    callout = CalloutBlock()
    contact = ContactBlock()
