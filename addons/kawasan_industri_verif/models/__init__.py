from . import (
    ki_disposisi,
    ki_document,
    ki_permohonan,
    ki_permohonan_demo,
    ki_permohonan_step,
    res_users,
)
