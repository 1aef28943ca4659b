"""What /api/v1/ answers and accepts. Read serializers take objects the selectors already
scoped to the token; nothing here queries outside them."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Case, CaseEvent
from workflows.avis.models import Avis


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    choices = serializers.ListField(child=serializers.CharField())


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    fields = serializers.SerializerMethodField(method_name="fields_of")

    @extend_schema_field(FieldSerializer(many=True))
    def fields_of(self, version):
        return FieldSerializer(version.fields, many=True).data


class ProcedureSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    service = serializers.CharField(source="service.name")
    opens_at = serializers.DateTimeField(allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    current_version = serializers.IntegerField(source="current_version.number", allow_null=True)


class ProcedureDetailSerializer(ProcedureSerializer):
    description = serializers.CharField()
    versions = serializers.SerializerMethodField()

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, procedure):
        versions = sorted(procedure.versions.all(), key=lambda v: v.number)
        return VersionSerializer(versions, many=True).data


class CaseSerializer(serializers.Serializer):
    number = serializers.CharField()
    display_number = serializers.CharField()
    procedure = serializers.SlugField(source="procedure.slug")
    version = serializers.IntegerField(source="version.number")
    status = serializers.ChoiceField(choices=Case.Status.choices)
    applicant_email = serializers.EmailField(allow_blank=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    deadline_at = serializers.DateTimeField(allow_null=True)


class AnswerSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField()
    value = serializers.JSONField(allow_null=True)


class FileSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    mime = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    field_name = serializers.CharField(allow_blank=True)
    message = serializers.IntegerField(source="message_id", allow_null=True)
    uploaded_by_role = serializers.ChoiceField(choices=CaseEvent.Role.choices)
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, file) -> str:
        path = reverse("api:v1-case-file", args=[file.case.number, file.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class EventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CaseEvent.Kind.choices)
    actor_role = serializers.ChoiceField(choices=CaseEvent.Role.choices)
    status = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author_role = serializers.ChoiceField(choices=CaseEvent.Role.choices)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    files = serializers.SerializerMethodField()

    def get_files(self, message) -> list[str]:
        return [str(f.pk) for f in message.files.all()]


class AvisSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    question = serializers.CharField()
    yes_no = serializers.BooleanField()
    confidential = serializers.BooleanField()
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Avis.Status.choices)
    answer = serializers.CharField(allow_blank=True)
    answer_choice = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class DecisionSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="accepted, refused or closed")
    reason = serializers.CharField(allow_blank=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class TaskSerializer(serializers.Serializer):
    """Who must act next: the open instructor task, if any."""

    node = serializers.CharField()
    status = serializers.CharField()
    owner = serializers.EmailField(allow_null=True)


class CaseDetailSerializer(CaseSerializer):
    discussion_open = serializers.BooleanField()
    # Filled by api.views.case_representation from api.selectors.case_details.
    answers = AnswerSerializer(many=True, source="api_answers")
    files = FileSerializer(many=True, source="api_files")
    events = EventSerializer(many=True, source="api_events")
    messages = MessageSerializer(many=True, source="api_messages")
    avis = AvisSerializer(many=True, source="api_avis")
    decision = DecisionSerializer(allow_null=True, source="api_decision")
    task = TaskSerializer(allow_null=True, source="api_task")


# --- Query parameters and bodies ----------------------------------------------------------


class CaseFilterSerializer(serializers.Serializer):
    # Drafts are never listed: asking for them answers an empty list.
    status = serializers.ChoiceField(choices=Case.Status.choices, required=False)
    submitted_after = serializers.DateTimeField(required=False)
    submitted_before = serializers.DateTimeField(required=False)
    updated_since = serializers.DateTimeField(required=False)


class AssignSerializer(serializers.Serializer):
    to = serializers.EmailField(help_text="Adresse de l'instructeur à qui confier le dossier.")


class BodySerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10_000)


FILES_HELP = "PDF, JPEG ou PNG, inspectés et nettoyés comme sur les écrans des instructeurs."


class BodyWithFilesSerializer(BodySerializer):
    """The same action sent as multipart/form-data, with files."""

    files = serializers.ListField(
        child=serializers.FileField(), required=False, max_length=10, help_text=FILES_HELP
    )


class DecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["accepted", "refused", "closed"])
    reason = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    generate_letter = serializers.BooleanField(
        default=False, help_text="Joindre le courrier de décision généré depuis le modèle."
    )


class DecideWithLetterSerializer(DecideSerializer):
    """The decision sent as multipart/form-data, with the service's own signed letter."""

    letter = serializers.FileField(required=False, help_text=FILES_HELP)


class ActionResultSerializer(serializers.Serializer):
    case = CaseSerializer()
    task = TaskSerializer(allow_null=True)


__all__ = ["OpenApiTypes"]
