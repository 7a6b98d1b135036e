"""Plain Python helpers of the addon (no Odoo models)."""
