from . import (
    ki_document_review_wizard,
    ki_holiday_decree_wizard,
    ki_holiday_import_wizard,
    ki_letter_correct_wizard,
    ki_sla_report,
    ki_transition_wizard,
    ki_transition_wizard_decision,
)
