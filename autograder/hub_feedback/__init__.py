"""Feedback seconds after submit: the course hub's grading service (issue 16).

`FeedbackService` watches the exchange's inbound folder, collects each new submission with the
hub's collect (owner check, nbgrader #1097), grades the student's latest attempt with the batch
grader, records it in the gradebook and releases that student's feedback, filtered by the
course's `FeedbackPolicy` (nbgrader_config.py). `python -m autograder.hub_feedback` runs it;
docs/hub.md says how the hub starts it and what students see.
"""
from .policy import AssignmentPolicy, FeedbackPolicy
from .service import FeedbackService, load_service_config

__all__ = ["AssignmentPolicy", "FeedbackPolicy", "FeedbackService", "load_service_config"]
