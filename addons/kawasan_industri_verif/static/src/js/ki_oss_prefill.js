/** @odoo-module **/
// "Fetch from OSS" on the application form (views/ki_portal_oss_templates.xml): ask the
// portal's JSON route for the NIB data, fill the inputs OSS gives, and keep the NIB data's
// id in the form so that the office sees what came from OSS. Nothing else changes: the
// applicant saves the form as usual.

async function fetchFromOss(button) {
    const form = button.closest("form");
    const status = document.getElementById("ki_oss_status");
    const say = (text, kind) => {
        status.textContent = text;
        status.className = `small mt-1 ${kind}`;
    };
    const body = new FormData();
    body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    body.append("nib", form.querySelector("input[name=nib]").value);
    if (button.dataset.permohonanId) {
        body.append("permohonan_id", button.dataset.permohonanId);
    }
    button.disabled = true;
    say(document.getElementById("ki_oss_waiting").textContent, "text-muted");
    try {
        const response = await fetch(button.dataset.url, {
            method: "POST",
            body,
            credentials: "same-origin",
        });
        const result = await response.json();
        if (!result.ok) {
            say(result.error, "text-danger");
            return;
        }
        for (const [name, value] of Object.entries(result.values)) {
            const input = form.querySelector(`[name="${name}"]`);
            if (input) {
                input.value = value;
                input.classList.add("ki_from_oss", "border-success");
            }
        }
        form.querySelector("input[name=oss_profile_id]").value = result.profile_id;
        say(result.message, "text-success");
    } catch {
        say(document.getElementById("ki_oss_failed").textContent, "text-danger");
    } finally {
        button.disabled = false;
    }
}

document.addEventListener("click", (event) => {
    const button = event.target.closest("#ki_oss_fetch");
    if (button) {
        event.preventDefault();
        fetchFromOss(button);
    }
});
