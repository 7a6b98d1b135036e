from . import ki_document_review_wizard, ki_transition_wizard
