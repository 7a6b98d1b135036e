from . import oss, portal, verify
