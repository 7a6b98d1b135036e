from . import portal, portal_clock, verify
