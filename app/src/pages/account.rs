//! `/account`: the signed-in person's own account. Change the password; turn on two-step
//! verification (administrators must); keep recovery codes. Every form works without JavaScript.

use crate::api::account::{
    load_account, AccountView, BeginSecondFactor, ChangePassword, ConfirmSecondFactor, NewRecoveryCodes, RecoveryCodesKept,
    TurnOffSecondFactor,
};
use crate::components::forms::{field_errors, ErrorSummary, PasswordField, TextField, NEW_PASSWORD_HINT};
use crate::components::status::{PageProblem, SuccessBanner};
use crate::components::title::Title;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AccountPage() -> impl IntoView {
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
    let changed = move || query.read().get("changed").as_deref() == Some("password") || password.value().get().is_some_and(|r| r.is_ok());

    view! {
        <Title text="Your account"/>
        <Suspense fallback=|| view! { <p class="body">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Err(error) => view! { <PageProblem error/> }.into_any(),
                    Ok(view) => view! {
                        <ErrorSummary error=password_error first_field="current_password"/>
                        <ErrorSummary error=confirm_error first_field="code"/>
                        {move || changed().then(|| view! {
                            <SuccessBanner title="Password changed"><p>"Your other sessions have been signed out."</p></SuccessBanner>
                        })}
                        <h1 class="heading-l">"Your account"</h1>
                        <p class="body">{view.display_name.clone()} " (" {view.email.clone()} ")"</p>
                        <SecondFactor view begin confirm kept new_codes off errors=confirm_errors/>
                        <h2 class="heading-m" id="password-heading">"Change your password"</h2>
                        <ActionForm action=password attr:novalidate=true attr:class="form" attr:aria-labelledby="password-heading">
                            <PasswordField name="current_password" label="Current password" autocomplete="current-password"
                                error=Signal::derive(move || password_errors.read().text("current_password"))/>
                            <PasswordField name="new_password" label="New password" autocomplete="new-password"
                                hint=NEW_PASSWORD_HINT
                                error=Signal::derive(move || password_errors.read().text("new_password"))/>
                            <PasswordField name="confirm_password" label="Confirm new password" autocomplete="new-password"
                                error=Signal::derive(move || password_errors.read().text("confirm_password"))/>
                            <button type="submit" class="button" disabled=move || password.pending().get()>"Change password"</button>
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
    let code_error = Signal::derive(move || errors.read().text("code"));
    let password_error = Signal::derive(move || errors.read().text("password"));
    let off_error = Signal::derive(move || errors.read().text("off_password"));
    let codes = view.new_recovery_codes.clone();
    view! {
        <h2 class="heading-m" id="two-step-heading">"Two-step verification"</h2>
        {(!codes.is_empty()).then(|| view! {
            <div class="banner banner--success" role="status" aria-labelledby="recovery-codes">
                <h3 class="banner__title" id="recovery-codes">"Your recovery codes"</h3>
                <div class="banner__content">
                    <p class="body">"If you lose your phone, each of these lets you sign in once. Keep them somewhere safe, apart from your phone. They will not be shown again."</p>
                    <ul class="list recovery-codes">{codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}</ul>
                    <ActionForm action=kept attr:class="inline-form">
                        <button type="submit" class="button">"I have kept them somewhere safe"</button>
                    </ActionForm>
                </div>
            </div>
        })}
        {if view.second_factor {
            view! {
                <p class="body">"On. When you sign in, you enter a code from your authenticator app after your password."</p>
                <p class="body">{format!("Recovery codes left: {}.", view.recovery_codes_left)}</p>
                <ActionForm action=new_codes attr:novalidate=true attr:class="form" attr:aria-label="New recovery codes">
                    <PasswordField name="password" label="Your password" autocomplete="current-password"
                        hint="Asked again if you signed in more than 15 minutes ago." error=password_error/>
                    <button type="submit" class="button button--secondary">"Make new recovery codes"</button>
                </ActionForm>
                {(!view.second_factor_required).then(|| view! {
                    <ActionForm action=off attr:novalidate=true attr:class="form" attr:aria-label="Turn off two-step verification">
                        <PasswordField name="off_password" label="Your password" autocomplete="current-password"
                            hint="Asked again if you signed in more than 15 minutes ago." error=off_error/>
                        <button type="submit" class="button button--warning">"Turn off two-step verification"</button>
                    </ActionForm>
                })}
            }.into_any()
        } else if let Some(setup) = view.setup.clone() {
            view! {
                <div id="set-up">
                    <p class="body">"1. Open an authenticator app on your phone (for example Microsoft Authenticator or Google Authenticator) and add an account."</p>
                    <p class="body">"2. Scan this QR code, or type in the key below it."</p>
                    <div class="qr-code" inner_html=setup.qr_svg.clone()></div>
                    <p class="body">"Key: " <code class="break-all" data-testid="totp-secret">{setup.secret.clone()}</code></p>
                    <p class="body"><a class="link" href=setup.url.clone()>"Open in an authenticator app on this device"</a></p>
                    <p class="body">"3. Enter the 6-digit code the app shows."</p>
                    <ActionForm action=confirm attr:novalidate=true attr:class="form" attr:aria-label="Confirm your authenticator app">
                        <TextField name="code" label="Code from the app" autocomplete="one-time-code" spellcheck_off=true error=code_error/>
                        <button type="submit" class="button">"Turn on two-step verification"</button>
                    </ActionForm>
                </div>
            }.into_any()
        } else {
            view! {
                {view.second_factor_required.then(|| view! {
                    <div class="inset" role="note"><p class="body"><strong>"Administrators must use two-step verification."</strong>
                        " Until it is on, the administrator's pages stay closed to you."</p></div>
                })}
                <p class="body">"Off. With it on, signing in needs a code from an app on your phone as well as your password, so a stolen password is not enough."</p>
                <ActionForm action=begin attr:class="form" attr:aria-label="Set up two-step verification">
                    <button type="submit" class="button">"Set up two-step verification"</button>
                </ActionForm>
            }.into_any()
        }}
    }
}
