from django.contrib import admin

from plays.models import Play, Playbook, PlaybookStep, Rule, Task


class StepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 0


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["name", "updated_at"]
    inlines = [StepInline]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["name", "trigger", "playbook", "segment", "enabled"]


@admin.register(Play)
class PlayAdmin(admin.ModelAdmin):
    list_display = ["playbook", "account", "state", "started_at"]
    list_filter = ["state", "playbook"]
    raw_id_fields = ["account"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["title", "account", "owner", "due_on", "status"]
    list_filter = ["status", "priority"]
    raw_id_fields = ["account", "contact", "idea", "product_risk", "play"]
