"""How a person likes the leads table: the columns they chose and their named views."""

from django.conf import settings
from django.db import models

from crm.models.workspaces import Workspace


class LeadTableLayout(models.Model):
    """The columns a person picked in the column chooser, in one workspace."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Column keys of crm/web/extensions/columns.py; keys no app registers any more are ignored.
    columns = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="leadtablelayout_unique"),
        ]

    def __str__(self) -> str:
        return f"columns of user {self.user_id}"


class LeadView(models.Model):
    """A named leads-table view of one person: its filters, columns and sort."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    # The table's filter query string (``country=France&stage=4``), without paging or sort.
    query = models.TextField(blank=True)
    columns = models.JSONField(default=list)
    sort = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "user", "name"], name="leadview_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
