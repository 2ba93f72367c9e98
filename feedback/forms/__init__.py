"""Input parsing of the board and the triage screens."""

from feedback.forms.board import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NOTE_MAX,
    TITLE_MAX,
    BoardQueryForm,
    CommentForm,
    IdeaForm,
    InternalCommentForm,
    VoteOnBehalfForm,
)

__all__ = [
    "COMMENT_MAX",
    "DESCRIPTION_MAX",
    "NOTE_MAX",
    "TITLE_MAX",
    "BoardQueryForm",
    "CommentForm",
    "IdeaForm",
    "InternalCommentForm",
    "VoteOnBehalfForm",
]
