"""Editor roles: "Éditeurs" draft and submit, "Modérateurs" approve or reject (idempotent).

Every page goes through Wagtail's moderation workflow "Relecture avant publication",
assigned at the root so it covers the French and English trees.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Éditeurs"
MODERATORS = "Modérateurs"
WORKFLOW_NAME = "Relecture avant publication"
TASK_NAME = "Validation par un modérateur"

PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    EDITORS: ["add_image", "change_image", "choose_image", "add_document", "choose_document"],
    MODERATORS: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
}
MODEL_PERMISSIONS = {
    EDITORS: [("wagtailadmin", "access_admin"), ("simple_translation", "submit_translation")],
    MODERATORS: [
        ("wagtailadmin", "access_admin"),
        ("simple_translation", "submit_translation"),
        ("cms", "add_helplink"),
        ("cms", "change_helplink"),
        ("cms", "delete_helplink"),
        ("cms", "view_helplink"),
    ],
}


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def seed_roles() -> dict[str, Group]:
    root = Page.get_first_root_node()
    collection = Collection.get_first_root_node()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, MODERATORS)}
    for name, group in groups.items():
        group.permissions.add(*(_permission(*perm) for perm in MODEL_PERMISSIONS[name]))
        for codename in PAGE_PERMISSIONS[name]:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=_permission("wagtailcore", codename)
            )
        for codename in COLLECTION_PERMISSIONS[name]:
            app_label = "wagtailimages" if codename.endswith("image") else "wagtaildocs"
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=_permission(app_label, codename)
            )

    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([groups[MODERATORS]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return groups
