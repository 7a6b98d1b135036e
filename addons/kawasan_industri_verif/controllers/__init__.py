from . import ikm, oss, portal, portal_clock, portal_receipt, site, verify
