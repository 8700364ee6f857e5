//! `/privacy/retention`: how long each kind of record is kept, and the runs.

use super::*;

/// One class of record: its period and lawful basis, saved on their own.
#[component]
pub(super) fn PolicyRow(policy: crate::api::privacy::PolicyView) -> impl IntoView {
    let save = ServerAction::<SaveRetention>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    let errors = Memo::new(move |_| field_errors(&error.get()));
    let saved = move || save.value().get().is_some_and(|r| r.is_ok());
    let (months_id, basis_id, heading) =
        (format!("months-{}", policy.class), format!("basis-{}", policy.class), format!("class-{}", policy.class));
    let (m_err, b_err) = (StoredValue::new(months_id.clone()), StoredValue::new(basis_id.clone()));
    let months_error = move || errors.read().text(&m_err.read_value());
    let basis_error = move || errors.read().text(&b_err.read_value());
    let form_label = heading.clone();
    let bases = [("public_task", "Public task"), ("legitimate_interests", "Legitimate interests"), ("consent", "Consent")];
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <h2 class="heading-s" id=heading.clone()>{policy.label.clone()}</h2>
            <p class="hint">{policy.effect.clone()}</p>
            <ErrorSummary error first_field=months_id.clone()/>
            {move || saved().then(|| view! { <p class="body" role="status"><strong class="tag tag--green">"Saved"</strong></p> })}
            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby=form_label>
                <input type="hidden" name="class" value=policy.class.clone()/>
                <div class="form-group form-group--inline" class:form-group--error=move || months_error().is_some()>
                    <label class="label" for=months_id.clone()>"Kept for (months)"</label>
                    {move || months_error().map(|m| view! { <p class="error-message" id=format!("{}-error", m_err.read_value())><span class="visually-hidden">"Error: "</span>{m}</p> })}
                    <input class="input input--short" type="text" inputmode="numeric" id=months_id.clone() name="months" value=policy.months.to_string()
                        aria-describedby=move || months_error().map(|_| format!("{}-error", m_err.read_value()))/>
                </div>
                <div class="form-group form-group--inline" class:form-group--error=move || basis_error().is_some()>
                    <label class="label" for=basis_id.clone()>"Lawful basis"</label>
                    {move || basis_error().map(|m| view! { <p class="error-message" id=format!("{}-error", b_err.read_value())><span class="visually-hidden">"Error: "</span>{m}</p> })}
                    <select class="select" id=basis_id.clone() name="lawful_basis" aria-describedby=move || basis_error().map(|_| format!("{}-error", b_err.read_value()))>
                        {bases.into_iter().map(|(value, label)| view! { <option value=value selected=policy.lawful_basis == value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--secondary">"Save"<span class="visually-hidden">{format!(": {}", policy.label)}</span></button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn RunTable(run: crate::api::privacy::RunView, caption: String) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label=caption.clone()>
            <table class="table">
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead><tr><th scope="col">"Kind of record"</th><th scope="col">"Kept for"</th><th scope="col">"Due if last touched before"</th><th scope="col">{if run.dry_run { "Would change" } else { "Changed" }}</th></tr></thead>
                <tbody>
                    {run.counts.into_iter().map(|c| view! {
                        <tr><td>{c.label}</td><td>{format!("{} months", c.months)}</td><td>{c.kept_from}</td><td>{c.records}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let run = ServerAction::<RunRetention>::new();
    let data = Resource::new(move || run.version().get(), |_| load_retention());
    let run_error = Signal::derive(move || run.value().get().and_then(|r| r.err()));
    let run_errors = Memo::new(move |_| field_errors(&run_error.get()));
    view! {
        <Title text="Retention"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(view_data) => view! {
                        <p class="body"><a class="link" href="/privacy">"Back to data protection"</a></p>
                        <h1 class="heading-l">"How long records are kept"</h1>
                        <p class="body">"Mobilise anonymises records once their period is over, every night. The figures on the intelligence dashboard stay true: only what identifies someone is removed."</p>
                        {view_data.policies.into_iter().map(|policy| view! { <PolicyRow policy/> }).collect_view()}
                        <h2 class="heading-m" id="run-heading">"Run it now"</h2>
                        <p class="body">"Check first: a dry run changes nothing and shows what a real run would."</p>
                        <ErrorSummary error=run_error first_field="confirm"/>
                        <ActionForm action=run attr:class="form">
                            <input type="hidden" name="dry_run" value="yes"/>
                            <button type="submit" class="button">"Check what would change"</button>
                        </ActionForm>
                        <ActionForm action=run attr:novalidate=true attr:class="form" attr:aria-labelledby="run-heading">
                            <input type="hidden" name="dry_run" value="no"/>
                            <div class="form-group" class:form-group--error=move || run_errors.read().get("confirm").is_some()>
                                {move || run_errors.read().get("confirm").map(|m| view! { <p class="error-message" id="confirm-error"><span class="visually-hidden">"Error: "</span>{m.to_string()}</p> })}
                                <div class="radios__item">
                                    <input class="radios__input" type="checkbox" id="confirm" name="confirm" value="yes"
                                        aria-describedby=move || run_errors.read().get("confirm").is_some().then_some("confirm-error")/>
                                    <label class="radios__label" for="confirm">"I have checked what it will change"</label>
                                </div>
                            </div>
                            <PasswordField name="password" label="Your password" autocomplete="current-password"
                                hint="Asked again before a real run if you signed in more than 15 minutes ago."
                                error=Signal::derive(move || run_errors.read().text("password"))/>
                            <button type="submit" class="button button--warning">"Anonymise what is due now"</button>
                        </ActionForm>
                        <h2 class="heading-m">"Recent runs"</h2>
                        {if view_data.runs.is_empty() {
                            view! { <p class="body">"It has not run yet."</p> }.into_any()
                        } else {
                            view_data.runs.into_iter().map(|r| {
                                let caption = format!("{} on {} by {}", if r.dry_run { "Dry run" } else { "Run" }, r.at, r.by);
                                view! { <h3 class="heading-s">{caption.clone()}</h3> <RunTable run=r caption/> }
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
