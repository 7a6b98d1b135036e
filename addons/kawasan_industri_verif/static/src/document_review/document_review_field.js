/** @odoo-module **/
// The documents of a file next to a preview of the one selected: a click on a row shows the
// version's PDF (Odoo's PDF viewer) or image beside the list instead of opening a dialog, so
// that the verifier reads each document and marks it valid or invalid without leaving the
// file. Without a selection, the first document still to check is shown (else the first).

import { registry } from "@web/core/registry";
import { url } from "@web/core/utils/urls";
import { X2ManyField, x2ManyField } from "@web/views/fields/x2many/x2many_field";
import { useState } from "@odoo/owl";

const PDF = "application/pdf";

export class DocumentReviewField extends X2ManyField {
    static template = "kawasan_industri_verif.DocumentReviewField";

    setup() {
        super.setup();
        // the selected version and its status when selected: once the verifier marks it,
        // the preview moves on to the next document still to check
        this.selection = useState({ id: false, status: false });
    }

    get previewRecord() {
        const records = this.list.records;
        const selected = records.find((record) => record.resId === this.selection.id);
        if (selected && selected.data.status === this.selection.status) {
            return selected;
        }
        const todo = records.find((record) => record.data.status === "pending");
        return todo || selected || records[0] || false;
    }

    get previewTitle() {
        const record = this.previewRecord;
        const type = record.data.document_type_id;
        return `${type ? type[1] : ""} (${record.data.version})`;
    }

    get previewKind() {
        const mimetype = this.previewRecord.data.mimetype || "";
        if (mimetype === PDF) {
            return "pdf";
        }
        return mimetype.startsWith("image/") ? "image" : "other";
    }

    get fileUrl() {
        return url("/web/content", {
            model: this.list.resModel,
            field: "file_data",
            id: this.previewRecord.resId,
        });
    }

    get previewUrl() {
        if (this.previewKind === "pdf") {
            return `/web/static/lib/pdfjs/web/viewer.html?file=${encodeURIComponent(this.fileUrl)}`;
        }
        return url("/web/image", {
            model: this.list.resModel,
            field: "file_data",
            id: this.previewRecord.resId,
        });
    }

    async openRecord(record) {
        this.selection.id = record.resId;
        this.selection.status = record.data.status;
    }
}

export const documentReviewField = {
    ...x2ManyField,
    component: DocumentReviewField,
};

registry.category("fields").add("ki_document_review", documentReviewField);
