/** @odoo-module **/
/* The dialog in which the Head of Office signs a decision letter electronically. The
   passphrase or OTP goes straight from this dialog to the signing action over RPC: it is
   never saved in a record, and it is cleared from the dialog after every attempt. */

import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";

export class KiSignDialog extends Component {
    static template = "kawasan_industri_verif.SignDialog";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.params = this.props.action.params;
        this.state = useState({
            secret: "",
            withOtp: false,
            note: "",
            delegation: "",
            error: "",
            info: "",
            busy: false,
        });
    }

    get canSign() {
        const needsReason = this.params.reason_required && !this.state.note.trim();
        return !this.state.busy && this.state.secret && !needsReason;
    }

    message(error) {
        return (error.data && error.data.message) || error.message || String(error);
    }

    async sendOtp() {
        this.state.error = this.state.info = "";
        this.state.busy = true;
        try {
            await this.orm.call("ki.permohonan", "action_request_sign_otp", [[this.params.res_id]]);
            this.state.info = _t("BSrE has sent you a one-time code.");
            this.state.withOtp = true;
        } catch (error) {
            this.state.error = this.message(error);
        } finally {
            this.state.busy = false;
        }
    }

    async sign() {
        const kwargs = this.state.withOtp
            ? { totp: this.state.secret }
            : { passphrase: this.state.secret };
        kwargs[this.params.reason_required ? "reason" : "note"] = this.state.note || null;
        if (this.state.delegation) {
            kwargs.delegation_id = parseInt(this.state.delegation);
        }
        this.state.error = this.state.info = "";
        this.state.busy = true;
        try {
            await this.orm.call("ki.permohonan", this.params.method, [[this.params.res_id]], kwargs);
        } catch (error) {
            this.state.error = this.message(error);
            return;
        } finally {
            this.state.secret = "";
            this.state.busy = false;
        }
        await this.actionService.doAction({ type: "ir.actions.act_window_close" });
    }
}

registry.category("actions").add("kawasan_industri_verif.sign_dialog", KiSignDialog);
