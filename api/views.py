"""/api/v1/: reads of a token's démarches and demandes, and the instruction actions.

Every view reaches objects through ``api.selectors`` (the token's démarches only) and
every action calls the same ``workflows.services`` function as the instructor's screens,
as the token's creator (ADR 0500).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import services as case_services
from cases.models import Case
from identity.models import User
from locker import vault
from locker.inspection import download_response
from locker.inspection.uploads import cap_uploads
from locker.intake import inspect_files
from workflows import selectors as workflow_selectors
from workflows import services as workflow_services

from . import selectors
from .auth import CanInstruct
from .serializers import (
    ActionResultSerializer,
    AssignSerializer,
    BodySerializer,
    BodyWithFilesSerializer,
    CaseDetailSerializer,
    CaseFilterSerializer,
    CaseSerializer,
    DecideSerializer,
    DecideWithLetterSerializer,
    ProcedureDetailSerializer,
    ProcedureSerializer,
)


class Conflict(exceptions.APIException):
    """The request is well-formed but the demande's state or the instruction rules refuse
    it (task taken meanwhile, discussion not open, reason missing, not a colleague...)."""

    status_code = 409
    default_detail = "Conflit."


class Unavailable(exceptions.APIException):
    status_code = 503


class CasePagination(CursorPagination):
    """Oldest change first, so that a client syncing with ``updated_since`` never misses
    one; the index (procedure, updated_at, id) of api/migrations keeps every page an
    index range scan whatever the démarche's size."""

    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema(tags=["démarches"], summary="Démarches of the token")
class ProcedureList(generics.ListAPIView):
    serializer_class = ProcedureSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.procedures_for_token(self.request.auth).select_related("current_version")


@extend_schema(tags=["démarches"], summary="One démarche with its form versions")
class ProcedureDetail(generics.RetrieveAPIView):
    serializer_class = ProcedureDetailSerializer

    def get_object(self):
        return selectors.procedure_for_token(token=self.request.auth, slug=self.kwargs["slug"])


@extend_schema(
    tags=["demandes"], summary="Demandes of a démarche", parameters=[CaseFilterSerializer]
)
class CaseList(generics.ListAPIView):
    serializer_class = CaseSerializer
    pagination_class = CasePagination

    def get_queryset(self):
        procedure = selectors.procedure_for_token(token=self.request.auth, slug=self.kwargs["slug"])
        filters = CaseFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        queryset = selectors.cases_for_token(self.request.auth).filter(procedure=procedure)
        if "status" in data:
            queryset = queryset.filter(status=data["status"])
        if "submitted_after" in data:
            queryset = queryset.filter(submitted_at__gte=data["submitted_after"])
        if "submitted_before" in data:
            queryset = queryset.filter(submitted_at__lt=data["submitted_before"])
        if "updated_since" in data:
            queryset = queryset.filter(updated_at__gte=data["updated_since"])
        return queryset


def _task_data(case: Case):
    task = workflow_selectors.open_task(case)
    if task is None:
        return None
    return {
        "node": task.flow_task.name,
        "status": task.status,
        "owner": task.owner.email if task.owner_id else None,
    }


def _answers(case: Case, files) -> list[dict]:
    by_field = {}
    for file in files:
        if file.field_name and file.message_id is None:
            by_field.setdefault(file.field_name, []).append(str(file.pk))
    return [
        {
            "name": spec.name,
            "label": spec.label,
            "type": spec.type,
            "value": by_field.get(spec.name, []) if spec.is_file else case.answers.get(spec.name),
        }
        for spec in case.version.fields
    ]


def case_representation(case: Case, request) -> dict:
    details = selectors.case_details(case)
    case.api_answers = _answers(case, details["files"])
    case.api_files = details["files"]
    case.api_events = details["events"]
    case.api_messages = details["thread"]
    case.api_avis = details["avis"]
    case.api_decision = (
        {"status": case.status, "reason": case.decision_reason, "decided_at": case.decided_at}
        if case.is_finished
        else None
    )
    case.api_task = _task_data(case)
    return CaseDetailSerializer(case, context={"request": request}).data


@extend_schema(tags=["demandes"], summary="One demande", responses=CaseDetailSerializer)
class CaseDetail(APIView):
    def get(self, request, number):
        case = selectors.case_for_token(token=request.auth, number=number)
        return Response(case_representation(case, request))


@extend_schema(
    tags=["demandes"],
    summary="Download a file of a demande (the inspected bytes as filed)",
    responses={
        (200, "*/*"): OpenApiResponse(
            OpenApiTypes.BINARY, description="The file, with its stored (inspected) type."
        )
    },
)
class CaseFileDownload(APIView):
    def get(self, request, number, file_id):
        case = selectors.case_for_token(token=request.auth, number=number)
        case_file = selectors.case_file_for_token(case=case, file_id=file_id)
        try:
            content = case_services.case_file_content(case_file)
        except vault.StorageUnavailableError as error:
            raise Unavailable(vault.UNAVAILABLE_MESSAGE) from error
        return download_response(content, filename=case_file.name, mime=case_file.mime)


# --- Instruction (scope "instruct") --------------------------------------------------------


class InstructView(APIView):
    """One instruction action on a demande's open task, as the token's creator."""

    permission_classes = [CanInstruct]
    body_serializer = None

    def post(self, request, number):
        case = selectors.case_for_token(token=request.auth, number=number)
        data = {}
        if self.body_serializer is not None:
            body = self.body_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        try:
            self.act(case=case, user=request.user, data=data)
        except workflow_services.TaskUnavailableError as error:
            raise Conflict(error.message) from error
        except PermissionDenied as error:
            raise exceptions.PermissionDenied() from error
        except ValidationError as error:
            raise Conflict(" ".join(error.messages)) from error
        except vault.StorageUnavailableError as error:
            raise Unavailable(vault.UNAVAILABLE_MESSAGE) from error
        case.refresh_from_db()
        return Response(
            ActionResultSerializer(
                {"case": case, "task": _task_data(case)}, context={"request": request}
            ).data
        )

    def open_task(self, case):
        task = workflow_selectors.open_task(case)
        if task is None:
            raise Conflict("Aucune tâche d'instruction n'est ouverte sur cette demande.")
        return task

    def act(self, *, case, user, data):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


def _instruct_schema(summary, request=None):
    return extend_schema(
        tags=["instruction"],
        summary=summary,
        request=request,
        responses={200: ActionResultSerializer},
    )


@_instruct_schema("Take the demande's open task")
class TakeView(InstructView):
    def act(self, *, case, user, data):
        workflow_services.task_take(task=self.open_task(case), user=user)


@_instruct_schema("Give the open task to an instructor of the service", AssignSerializer)
class AssignView(InstructView):
    body_serializer = AssignSerializer

    def act(self, *, case, user, data):
        to = User.objects.filter(email__iexact=data["to"]).first()
        if to is None:
            raise ValidationError("Cette personne n'instruit pas ce service.")
        workflow_services.task_assign(task=self.open_task(case), user=user, to=to)


@_instruct_schema("The demande is complete: on to the decision")
class CompleteView(InstructView):
    def act(self, *, case, user, data):
        workflow_services.task_check_complete(task=self.open_task(case), user=user)


class UploadingInstructView(InstructView):
    """An action that may carry files: JSON without files, or multipart/form-data with
    them. The files go through the screens' intake (capped before the body is read) and
    inspection; a refused file refuses the whole action (400), nothing is stored."""

    parser_classes = [JSONParser, MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        cap_uploads(request, context="demande")
        return super().initialize_request(request, *args, **kwargs)

    def inspected(self, field: str, *, limit: int | None = None):
        accepted, refused = inspect_files(self.request, field, context="demande", limit=limit)
        if refused:
            raise exceptions.ValidationError(
                {field: [f"{result.stored_name} : {result.message}" for result in refused]}
            )
        return accepted


def _with_files(json_serializer, multipart_serializer):
    return {"application/json": json_serializer, "multipart/form-data": multipart_serializer}


@_instruct_schema(
    "Ask the applicant for information (opens the discussion), with files",
    _with_files(BodySerializer, BodyWithFilesSerializer),
)
class RequestInformationView(UploadingInstructView):
    body_serializer = BodyWithFilesSerializer

    def act(self, *, case, user, data):
        workflow_services.task_request_information(
            task=self.open_task(case), user=user, body=data["body"], results=self.inspected("files")
        )


@_instruct_schema(
    "Write to the applicant in the open discussion, with files",
    _with_files(BodySerializer, BodyWithFilesSerializer),
)
class MessageView(UploadingInstructView):
    body_serializer = BodyWithFilesSerializer

    def act(self, *, case, user, data):
        workflow_services.instruction_post_message(
            case=case, user=user, body=data["body"], results=self.inspected("files")
        )


@_instruct_schema(
    "Accept, refuse or close the demande (a reason to refuse or close), with its letter",
    _with_files(DecideSerializer, DecideWithLetterSerializer),
)
class DecideView(UploadingInstructView):
    body_serializer = DecideWithLetterSerializer

    def act(self, *, case, user, data):
        letters = self.inspected("letter", limit=1)
        workflow_services.task_decide(
            task=self.open_task(case),
            user=user,
            decision=data["decision"],
            reason=data.get("reason", ""),
            document=letters[0] if letters else None,
            generate_letter=data["generate_letter"],
        )
