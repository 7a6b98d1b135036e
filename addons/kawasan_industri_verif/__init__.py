from . import controllers, models, wizards


def _post_init_hook(env):
    env["ki.permohonan"]._load_office_language()
