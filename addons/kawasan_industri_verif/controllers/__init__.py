from . import ikm, portal, portal_clock, portal_receipt, site, verify
