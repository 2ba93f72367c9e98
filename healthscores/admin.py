from django.contrib import admin

from healthscores.models import RecomputeRun


@admin.register(RecomputeRun)
class RecomputeRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "status", "accounts_processed", "requested_at", "finished_at"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RecomputeRun._meta.fields]
