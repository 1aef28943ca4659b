"""Demo documents in the demo applicant's locker (idempotent)."""

import io
from datetime import timedelta

import pikepdf
from django.utils import timezone
from PIL import Image, ImageDraw

from identity.models import User
from identity.selectors import space_personal_for

from .inspection import inspect_upload
from .models import Document
from .services import document_receive, document_upload

DEMO_EMAIL = "usager@guichet.test"


def _pdf(text: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(f"BT /F1 20 Tf 72 760 Td ({text}) Tj ET".encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _png(text: str) -> bytes:
    image = Image.new("RGB", (640, 400), "white")
    ImageDraw.Draw(image).text((40, 40), text, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def seed(stdout) -> None:
    user = User.objects.filter(email__iexact=DEMO_EMAIL).first()
    if user is None:
        return
    space = space_personal_for(user=user)
    if Document.objects.filter(space=space).exists():
        stdout.write("  Porte-documents de démonstration : déjà présent")
        return
    today = timezone.localdate()
    uploads = [
        (
            "carte-identite.png",
            "Carte d'identité",
            Document.Kind.IDENTITY,
            today + timedelta(days=20),
        ),
        ("facture-electricite.pdf", "Facture d'électricité", Document.Kind.ADDRESS, None),
        ("avis-imposition-2025.pdf", "Avis d'impôt 2025", Document.Kind.TAX_NOTICE, None),
        ("rib.pdf", "RIB compte courant", Document.Kind.BANK_DETAILS, None),
    ]
    for name, title, kind, expires_on in uploads:
        content = _png(title) if name.endswith(".png") else _pdf(title)
        document_upload(
            space=space,
            fileobj=io.BytesIO(content),
            name=name,
            title=title,
            kind=kind,
            expires_on=expires_on,
        )
    decision = inspect_upload(
        io.BytesIO(_pdf("Decision : demande acceptee")), name="decision.pdf", context="demande"
    )
    document_receive(space=space, accepted=decision, origin_label="Aide au logement n° DEMO-0001")
    stdout.write(f"  Porte-documents de démonstration : {len(uploads) + 1} documents")
