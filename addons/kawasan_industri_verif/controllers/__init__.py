from . import ikm, portal, portal_receipt, verify
