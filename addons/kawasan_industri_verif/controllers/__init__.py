from . import portal, site, verify
