//! `/privacy/retention`: how long each kind of record is kept, and the runs.

use super::*;

/// One class of record: its period and lawful basis, saved on their own.
#[component]
pub(super) fn PolicyRow(policy: crate::api::privacy::PolicyView) -> impl IntoView {
    let locale = crate::language::page_locale();
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
    let bases = [
        ("public_task", td_string!(locale, retention.public_task)),
        ("legitimate_interests", td_string!(locale, retention.legitimate_interests)),
        ("consent", td_string!(locale, retention.consent)),
    ];
    view! {
        <section class="card" aria-labelledby=heading.clone()>
            <h2 class="heading-s" id=heading.clone()>{policy.label.clone()}</h2>
            <p class="hint">{policy.effect.clone()}</p>
            <ErrorSummary error first_field=months_id.clone()/>
            {move || saved().then(|| view! { <p class="body" role="status"><strong class="tag tag--green">{td_string!(locale, retention.saved)}</strong></p> })}
            <ActionForm action=save attr:novalidate=true attr:class="form" attr:aria-labelledby=form_label>
                <input type="hidden" name="class" value=policy.class.clone()/>
                <div class="form-group form-group--inline" class:form-group--error=move || months_error().is_some()>
                    <label class="label" for=months_id.clone()>{td_string!(locale, retention.months_label)}</label>
                    {move || months_error().map(|m| view! { <p class="error-message" id=format!("{}-error", m_err.read_value())><span class="visually-hidden">{td_string!(locale, retention.error)}" "</span>{m}</p> })}
                    <input class="input input--short" type="text" inputmode="numeric" id=months_id.clone() name="months" value=policy.months.to_string()
                        aria-describedby=move || months_error().map(|_| format!("{}-error", m_err.read_value()))/>
                </div>
                <div class="form-group form-group--inline" class:form-group--error=move || basis_error().is_some()>
                    <label class="label" for=basis_id.clone()>{td_string!(locale, retention.lawful_basis)}</label>
                    {move || basis_error().map(|m| view! { <p class="error-message" id=format!("{}-error", b_err.read_value())><span class="visually-hidden">{td_string!(locale, retention.error)}" "</span>{m}</p> })}
                    <select class="select" id=basis_id.clone() name="lawful_basis" aria-describedby=move || basis_error().map(|_| format!("{}-error", b_err.read_value()))>
                        {bases.into_iter().map(|(value, label)| view! { <option value=value selected=policy.lawful_basis == value>{label}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="button button--secondary">{td_string!(locale, retention.save)}<span class="visually-hidden">{format!(": {}", policy.label)}</span></button>
            </ActionForm>
        </section>
    }
}

#[component]
pub(super) fn RunTable(run: crate::api::privacy::RunView, caption: String) -> impl IntoView {
    let locale = crate::language::page_locale();
    view! {
        <div class="table-wrap" tabindex="0" role="group" aria-label=caption.clone()>
            <table class="table">
                <caption class="visually-hidden">{caption.clone()}</caption>
                <thead><tr><th scope="col">{td_string!(locale, retention.col_kind)}</th><th scope="col">{td_string!(locale, retention.col_kept_for)}</th><th scope="col">{td_string!(locale, retention.col_due_before)}</th>
                    <th scope="col">{if run.dry_run { td_string!(locale, retention.col_would_change) } else { td_string!(locale, retention.col_changed) }}</th></tr></thead>
                <tbody>
                    {run.counts.into_iter().map(|c| view! {
                        <tr><td>{c.label}</td><td>{td_string!(locale, retention.months, count = c.months)}</td><td>{c.kept_from}</td><td>{c.records}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn RetentionPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let run = ServerAction::<RunRetention>::new();
    let data = Resource::new(move || run.version().get(), |_| load_retention());
    let run_error = Signal::derive(move || run.value().get().and_then(|r| r.err()));
    let run_errors = Memo::new(move |_| field_errors(&run_error.get()));
    view! {
        <Title text=td_string!(locale, retention.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, retention.loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(view_data) => view! {
                        <p class="body"><a class="link" href="/privacy">{td_string!(locale, retention.back)}</a></p>
                        <h1 class="heading-l">{td_string!(locale, retention.heading)}</h1>
                        <p class="body">{td_string!(locale, retention.intro)}</p>
                        {view_data.policies.into_iter().map(|policy| view! { <PolicyRow policy/> }).collect_view()}
                        <h2 class="heading-m" id="run-heading">{td_string!(locale, retention.run_heading)}</h2>
                        <p class="body">{td_string!(locale, retention.run_intro)}</p>
                        <ErrorSummary error=run_error first_field="confirm"/>
                        <ActionForm action=run attr:class="form">
                            <input type="hidden" name="dry_run" value="yes"/>
                            <button type="submit" class="button">{td_string!(locale, retention.dry_run_button)}</button>
                        </ActionForm>
                        <ActionForm action=run attr:novalidate=true attr:class="form" attr:aria-labelledby="run-heading">
                            <input type="hidden" name="dry_run" value="no"/>
                            <div class="form-group" class:form-group--error=move || run_errors.read().get("confirm").is_some()>
                                {move || run_errors.read().get("confirm").map(|m| view! { <p class="error-message" id="confirm-error"><span class="visually-hidden">{td_string!(locale, retention.error)}" "</span>{m.to_string()}</p> })}
                                <div class="radios__item">
                                    <input class="radios__input" type="checkbox" id="confirm" name="confirm" value="yes"
                                        aria-describedby=move || run_errors.read().get("confirm").is_some().then_some("confirm-error")/>
                                    <label class="radios__label" for="confirm">{td_string!(locale, retention.confirm)}</label>
                                </div>
                            </div>
                            <PasswordField name="password" label=td_string!(locale, retention.your_password) autocomplete="current-password"
                                hint=td_string!(locale, retention.password_hint)
                                error=Signal::derive(move || run_errors.read().text("password"))/>
                            <button type="submit" class="button button--warning">{td_string!(locale, retention.run_button)}</button>
                        </ActionForm>
                        <h2 class="heading-m">{td_string!(locale, retention.recent_runs)}</h2>
                        {if view_data.runs.is_empty() {
                            view! { <p class="body">{td_string!(locale, retention.not_run_yet)}</p> }.into_any()
                        } else {
                            view_data.runs.into_iter().map(|r| {
                                let caption = if r.dry_run {
                                    td_string!(locale, retention.dry_run_caption, at = r.at.clone(), by = r.by.clone())
                                } else {
                                    td_string!(locale, retention.run_caption, at = r.at.clone(), by = r.by.clone())
                                };
                                view! { <h3 class="heading-s">{caption.clone()}</h3> <RunTable run=r caption/> }
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
