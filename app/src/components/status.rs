//! Messages for pages that cannot show what was asked for.

use crate::error::AppError;
use crate::i18n::td_string;
use leptos::prelude::*;

/// Explains an error that stops a whole page (not signed in, not allowed, missing, broken).
#[component]
pub fn PageProblem(error: AppError) -> impl IntoView {
    let locale = crate::language::page_locale();
    let (title, body) = match &error {
        AppError::Unauthenticated => (td_string!(locale, status.sign_in_title), error.to_string()),
        AppError::Forbidden => (td_string!(locale, status.forbidden_title), td_string!(locale, status.forbidden_body).to_string()),
        AppError::NotFound => (td_string!(locale, status.not_found_title), error.to_string()),
        AppError::SecondFactorRequired => (td_string!(locale, status.second_factor_title), error.to_string()),
        _ => (td_string!(locale, status.problem_title), error.to_string()),
    };
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(error.status());
    }
    let sign_in = matches!(error, AppError::Unauthenticated);
    let second_factor = matches!(error, AppError::SecondFactorRequired);
    view! {
        <h1 class="heading-l">{title}</h1>
        <p class="body">{body}</p>
        {sign_in.then(|| view! { <p class="body"><a href="/sign-in" class="link">{td_string!(locale, status.sign_in)}</a></p> })}
        {second_factor.then(|| view! { <p class="body"><a href="/account" class="link">{td_string!(locale, status.second_factor_link)}</a></p> })}
    }
}

/// A green "success" banner (GOV.UK notification banner).
#[component]
pub fn SuccessBanner(title: &'static str, children: Children) -> impl IntoView {
    view! {
        <div class="banner banner--success" role="status" aria-labelledby="success-title">
            <h2 class="banner__title" id="success-title">{title}</h2>
            <div class="banner__content">{children()}</div>
        </div>
    }
}

/// What a page of personal data that is written to the audit log shows to a GET (a link from
/// anywhere, a typed address, a reload): what it holds, and a button that opens it with a POST to
/// the same address, the query kept (see `server::auth::opened_by_post`).
#[component]
pub fn OpenAudited(heading: &'static str, what: &'static str, button: &'static str) -> impl IntoView {
    let locale = crate::language::page_locale();
    let location = leptos_router::hooks::use_location();
    let action = move || {
        let search = location.search.try_get().unwrap_or_default();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.try_get().unwrap_or_default()
        } else {
            format!("{}?{search}", location.pathname.try_get().unwrap_or_default())
        }
    };
    view! {
        <h1 class="heading-l">{heading}</h1>
        <p class="body">{what}</p>
        <p class="body">{td_string!(locale, status.audited_note)}</p>
        <form method="post" action=action class="form">
            <button type="submit" class="button">{button}</button>
        </form>
    }
}
