from . import (
    ki_disposisi,
    ki_document,
    ki_permohonan,
    ki_permohonan_demo,
    ki_permohonan_portal,
    ki_permohonan_step,
    ki_sop_step,
    ki_survey,
    res_company,
    res_config_settings,
    res_users,
    resource_calendar,
)
