"""Tasks, playbooks, plays and the rules that start them."""

from plays.models.playbooks import Play, Playbook, PlaybookStep, Rule
from plays.models.tasks import CockpitVisit, Task, TaskComment

__all__ = ["CockpitVisit", "Play", "Playbook", "PlaybookStep", "Rule", "Task", "TaskComment"]
