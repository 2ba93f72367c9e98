from django.urls import path

from plays.views import pages, tasks

app_name = "plays"

urlpatterns = [
    path("today/", pages.today, name="today"),
    path("plays/team/", pages.manager, name="manager"),
    path("plays/accounts/<int:account_id>/tasks/", tasks.task_create, name="task_create"),
    path("plays/accounts/<int:account_id>/start/", tasks.play_start, name="play_start"),
    path("plays/tasks/<int:task_id>/", tasks.task_detail, name="task"),
    path("plays/tasks/<int:task_id>/complete/", tasks.task_complete, name="task_complete"),
    path("plays/tasks/<int:task_id>/skip/", tasks.task_skip, name="task_skip"),
    path("plays/tasks/<int:task_id>/reschedule/", tasks.task_reschedule, name="task_reschedule"),
    path("plays/tasks/<int:task_id>/assign/", tasks.task_assign, name="task_assign"),
    path("plays/tasks/<int:task_id>/keep/", tasks.task_keep, name="task_keep"),
    path("plays/tasks/<int:task_id>/comment/", tasks.task_comment, name="task_comment"),
    path("plays/playbooks/", pages.playbooks, name="playbooks"),
    path("plays/playbooks/new/", pages.playbook_edit, name="playbook_new"),
    path("plays/playbooks/<int:playbook_id>/", pages.playbook_edit, name="playbook_edit"),
    path("plays/playbooks/<int:playbook_id>/report/", pages.playbook_report, name="report"),
    path("plays/rules/", pages.rules, name="rules"),
    path("plays/rules/new/", pages.rule_edit, name="rule_new"),
    path("plays/rules/<int:rule_id>/", pages.rule_edit, name="rule_edit"),
]
