from . import (
    test_access,
    test_backend_tour,
    test_concurrency,
    test_performance,
    test_sla,
    test_transition_rules,
    test_translations,
    test_workflow,
)
