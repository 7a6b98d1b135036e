"""Tamper evidence: each file's step records and document versions carry a SHA-256 chained
to the previous one of the same file (its own content plus the previous hash), so that a
row changed, removed or inserted behind the application's back breaks the chain."""

import hashlib

from odoo import api, fields, models

GENESIS = "0" * 64


class KiChainedMixin(models.AbstractModel):
    _name = "ki.chained.mixin"
    _description = "Hash-Chained Record of an Application"
    # the fields the hash covers, in this order
    _chain_fields = ()

    chain_hash = fields.Char(
        readonly=True,
        copy=False,
        help="SHA-256 of this record's content and of the previous record of the same file.",
    )

    def _chain_content(self, overrides=None):
        """The record's sealed content as text: one `field=value` line per chained field,
        with `overrides` (values about to be written) taking precedence."""
        overrides = overrides or {}
        lines = []
        for fname in self._chain_fields:
            field = self._fields[fname]
            value = overrides[fname] if fname in overrides else self[fname]
            if field.type == "many2one":
                value = value if isinstance(value, int) else value.id
            elif field.type in ("many2many", "one2many"):
                value = sorted(value.ids)
            elif field.type == "datetime":
                value = fields.Datetime.to_string(value) if value else ""
            elif field.type == "float":
                value = repr(float(value or 0.0))
            lines.append(f"{fname}={value if value not in (None, False) else ''}")
        return "\n".join(lines)

    @api.model
    def _chain_hash(self, previous_hash, content):
        return hashlib.sha256(f"{previous_hash or GENESIS}\n{content}".encode()).hexdigest()

    def _chain_previous_hash(self):
        """The hash of the last sealed record of the same file, before this one."""
        previous = self.sudo().search(
            [
                ("permohonan_id", "=", self.permohonan_id.id),
                ("chain_hash", "!=", False),
                ("id", "<", self.id),
            ],
            order="id desc",
            limit=1,
        )
        return previous.chain_hash

    def _chain_seal_vals(self, vals=None):
        """`vals` plus the chain hash of the record as it will be once they are written."""
        self.ensure_one()
        content = self._chain_content(vals)
        return dict(vals or {}, chain_hash=self._chain_hash(self._chain_previous_hash(), content))

    @api.model
    def _chain_verify(self, records, must_be_sealed):
        """Re-compute the chain of `records` (one file's, in id order): the first broken
        record and why, or (None, None). `must_be_sealed(record)` says which records must
        carry a hash."""
        previous_hash = None
        for record in records.sorted("id"):
            if not record.chain_hash:
                if must_be_sealed(record):
                    return record, self.env._("it carries no chain hash")
                continue
            if record._chain_hash(previous_hash, record._chain_content()) != record.chain_hash:
                return record, self.env._("its content or its place in the chain was changed")
            previous_hash = record.chain_hash
        return None, None
