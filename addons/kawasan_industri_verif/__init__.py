from . import controllers, models, wizards


def _post_init_hook(env):
    env["res.company"]._ki_load_office_language()
