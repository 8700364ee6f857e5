//! `/account`: the signed-in person's own account. Change the password; turn on two-step
//! verification (administrators must); keep recovery codes. Every form works without JavaScript.

use crate::api::account::{
    load_account, AccountView, BeginSecondFactor, ChangePassword, ConfirmSecondFactor, NewRecoveryCodes, RecoveryCodesKept,
    TurnOffSecondFactor,
};
use crate::components::address_value;
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use crate::i18n::td_string;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
    let locale = crate::language::page_locale();
    let password = ServerAction::<ChangePassword>::new();
    let begin = ServerAction::<BeginSecondFactor>::new();
    let confirm = ServerAction::<ConfirmSecondFactor>::new();
    let kept = ServerAction::<RecoveryCodesKept>::new();
    let new_codes = ServerAction::<NewRecoveryCodes>::new();
    let off = ServerAction::<TurnOffSecondFactor>::new();
    let query = use_query_map();
    let account = Resource::new(
        move || {
            (
                password.version().get(),
                begin.version().get(),
                confirm.version().get(),
                kept.version().get(),
                new_codes.version().get(),
                off.version().get(),
            )
        },
        |_| load_account(),
    );
    let password_error = Signal::derive(move || password.value().get().and_then(|r| r.err()));
    let password_errors = Memo::new(move |_| field_errors(&password_error.get()));
    let confirm_error = Signal::derive(move || {
        confirm
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| begin.value().get().and_then(|r| r.err()))
            .or_else(|| new_codes.value().get().and_then(|r| r.err()))
            .or_else(|| off.value().get().and_then(|r| r.err()))
    });
    let confirm_errors = Memo::new(move |_| field_errors(&confirm_error.get()));
    let changed =
        move || address_value(query, "changed").as_deref() == Some("password") || password.value().get().is_some_and(|r| r.is_ok());

    view! {
        <Title text=td_string!(locale, account.page_title)/>
        <Suspense fallback=move || view! { <p class="body">{td_string!(locale, account.loading)}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(view) => view! {
                        <ErrorSummary error=password_error first_field="current_password"/>
                        <ErrorSummary error=confirm_error first_field="code"/>
                        {move || changed().then(|| view! {
                            <SuccessBanner title=td_string!(locale, account.changed_title)><p>{td_string!(locale, account.changed_text)}</p></SuccessBanner>
                        })}
                        <h1 class="heading-l">{td_string!(locale, account.heading)}</h1>
                        <p class="body">{view.display_name.clone()} " (" {view.email.clone()} ")"</p>
                        <SecondFactor view begin confirm kept new_codes off errors=confirm_errors/>
                        <h2 class="heading-m" id="password-heading">{td_string!(locale, account.change_password_heading)}</h2>
                        <ActionForm action=password attr:novalidate=true attr:class="form" attr:aria-labelledby="password-heading">
                            <PasswordField name="current_password" label=td_string!(locale, account.current_password) autocomplete="current-password"
                                error=Signal::derive(move || password_errors.read().text("current_password"))/>
                            <PasswordField name="new_password" label=td_string!(locale, account.new_password) autocomplete="new-password"
                                hint=crate::components::forms::new_password_hint(locale)
                                error=Signal::derive(move || password_errors.read().text("new_password"))/>
                            <PasswordField name="confirm_password" label=td_string!(locale, account.confirm_new_password) autocomplete="new-password"
                                error=Signal::derive(move || password_errors.read().text("confirm_password"))/>
                            <button type="submit" class="button" disabled=move || password.pending().get()>{td_string!(locale, account.change_password)}</button>
                        </ActionForm>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SecondFactor(
    view: AccountView,
    begin: ServerAction<BeginSecondFactor>,
    confirm: ServerAction<ConfirmSecondFactor>,
    kept: ServerAction<RecoveryCodesKept>,
    new_codes: ServerAction<NewRecoveryCodes>,
    off: ServerAction<TurnOffSecondFactor>,
    errors: Memo<crate::domain::FieldErrors>,
) -> impl IntoView {
    let locale = crate::language::page_locale();
    let code_error = Signal::derive(move || errors.read().text("code"));
    let password_error = Signal::derive(move || errors.read().text("password"));
    let off_error = Signal::derive(move || errors.read().text("off_password"));
    let codes = view.new_recovery_codes.clone();
    view! {
        <h2 class="heading-m" id="two-step-heading">{td_string!(locale, account.two_step_heading)}</h2>
        {(!codes.is_empty()).then(|| view! {
            <div class="banner banner--success" role="status" aria-labelledby="recovery-codes">
                <h3 class="banner__title" id="recovery-codes">{td_string!(locale, account.recovery_codes_title)}</h3>
                <div class="banner__content">
                    <p class="body">{td_string!(locale, account.recovery_codes_text)}</p>
                    <ul class="list recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <ActionForm action=kept attr:class="inline-form">
                        <button type="submit" class="button">{td_string!(locale, account.kept_them)}</button>
                    </ActionForm>
                </div>
            </div>
        })}
        {if view.second_factor {
            view! {
                <p class="body">{td_string!(locale, account.on_text)}</p>
                <p class="body">{td_string!(locale, account.codes_left, left = view.recovery_codes_left)}</p>
                <ActionForm action=new_codes attr:novalidate=true attr:class="form" attr:aria-label=td_string!(locale, account.new_codes_label)>
                    <PasswordField name="password" label=td_string!(locale, account.your_password) autocomplete="current-password"
                        hint=td_string!(locale, account.asked_again_hint) error=password_error/>
                    <button type="submit" class="button button--secondary">{td_string!(locale, account.make_new_codes)}</button>
                </ActionForm>
                {(!view.second_factor_required).then(|| view! {
                    <ActionForm action=off attr:novalidate=true attr:class="form" attr:aria-label=td_string!(locale, account.turn_off)>
                        <PasswordField name="off_password" label=td_string!(locale, account.your_password) autocomplete="current-password"
                            hint=td_string!(locale, account.asked_again_hint) error=off_error/>
                        <button type="submit" class="button button--warning">{td_string!(locale, account.turn_off)}</button>
                    </ActionForm>
                })}
            }.into_any()
        } else if let Some(setup) = view.setup.clone() {
            view! {
                <div id="set-up">
                    <p class="body">{td_string!(locale, account.setup_open_app)}</p>
                    <p class="body">{td_string!(locale, account.setup_scan)}</p>
                    <div class="qr-code" inner_html=setup.qr_svg.clone()></div>
                    <p class="body">{td_string!(locale, account.setup_key)} " " <code class="break-all" data-testid="totp-secret">{setup.secret.clone()}</code></p>
                    <p class="body"><a class="link" href=setup.url.clone()>{td_string!(locale, account.setup_open_here)}</a></p>
                    <p class="body">{td_string!(locale, account.setup_enter_code)}</p>
                    <ActionForm action=confirm attr:novalidate=true attr:class="form" attr:aria-label=td_string!(locale, account.confirm_app_label)>
                        <TextField name="code" label=td_string!(locale, account.code_from_app) autocomplete="one-time-code" spellcheck_off=true error=code_error/>
                        <button type="submit" class="button">{td_string!(locale, account.turn_on)}</button>
                    </ActionForm>
                </div>
            }.into_any()
        } else {
            view! {
                {view.second_factor_required.then(|| view! {
                    <div class="inset" role="note"><p class="body"><strong>{td_string!(locale, account.admins_must)}</strong>
                        " " {td_string!(locale, account.admins_closed)}</p></div>
                })}
                <p class="body">{td_string!(locale, account.off_text)}</p>
                <ActionForm action=begin attr:class="form" attr:aria-label=td_string!(locale, account.set_up)>
                    <button type="submit" class="button">{td_string!(locale, account.set_up)}</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
